using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Domain.Maintenance;

/// <summary>
/// One instance's move off a host under maintenance. Immutable: each transition returns the next
/// version and refuses what the state does not allow.
/// </summary>
/// <param name="Version">Grows by one on every transition, so readers can drop stale copies.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.InstanceMove")]
public sealed record InstanceMove(
    [property: Id(0)] string MoveId,
    [property: Id(1)] string MaintenanceId,
    [property: Id(2)] InstanceSpec Instance,
    [property: Id(3)] MaintenanceReason Reason,
    [property: Id(4)] MoveAction Action,
    [property: Id(5)] string SourceHostId,
    [property: Id(6)] string DestinationHostId,
    [property: Id(7)] MoveState State,
    [property: Id(8)] DateTimeOffset ScheduledAt,
    [property: Id(9)] DateTimeOffset NotBefore,
    [property: Id(10)] DateTimeOffset Deadline,
    [property: Id(11)] DateTimeOffset? StartedAt,
    [property: Id(12)] DateTimeOffset? FinishedAt,
    [property: Id(13)] MigrationProgress? Progress,
    [property: Id(14)] MigrationReceipt? Receipt,
    [property: Id(15)] string? FailureReason,
    [property: Id(16)] int Version)
{
    public string InstanceId => Instance.InstanceId;

    public string TenantId => Instance.TenantId;

    /// <summary>Announces a live migration to the tenant.</summary>
    public static InstanceMove Schedule(
        string moveId, string maintenanceId, InstanceSpec instance, MaintenanceReason reason,
        string sourceHostId, string destinationHostId, DateTimeOffset now, DateTimeOffset notBefore,
        DateTimeOffset deadline)
    {
        if (sourceHostId == destinationHostId)
        {
            throw new DomainException($"Instance {instance.InstanceId} cannot move to the host it is on ({sourceHostId}).");
        }

        if (notBefore > deadline)
        {
            throw new DomainException($"Instance {instance.InstanceId} cannot start at {notBefore:O}, after its deadline {deadline:O}.");
        }

        return new InstanceMove(moveId, maintenanceId, instance, reason, MoveAction.LiveMigration, sourceHostId,
            destinationHostId, MoveState.Scheduled, now, notBefore, deadline, null, null, null, null, null, 1);
    }

    public bool CanStart(DateTimeOffset now) => State == MoveState.Scheduled && now >= NotBefore;

    public InstanceMove Start(DateTimeOffset now)
    {
        if (!CanStart(now))
        {
            throw new DomainException(State == MoveState.Scheduled
                ? $"Move {MoveId} may not start before {NotBefore:O}."
                : $"Move {MoveId} is {State} and cannot start.");
        }

        return Next() with { State = MoveState.Migrating, StartedAt = now };
    }

    public InstanceMove Report(MigrationProgress progress)
    {
        Require(MoveState.Migrating, "report progress");
        return Next() with { Progress = progress };
    }

    /// <summary>
    /// The destination runs the instance. The receipt compares the identity the destination
    /// reported with the one scheduled; a different ID or IP is refused rather than recorded.
    /// </summary>
    public InstanceMove Complete(DateTimeOffset now, MigrationOutcome outcome)
    {
        Require(MoveState.Migrating, "complete");
        var receipt = new MigrationReceipt(outcome.DowntimeMs, now - StartedAt!.Value, outcome.Rounds, outcome.BytesTransferred,
            Instance.InstanceId, outcome.InstanceIdOnDestination, Instance.PrivateIp, outcome.PrivateIpOnDestination,
            outcome.Method, outcome.MaxThrottlePercent);
        if (!receipt.InstanceIdKept || !receipt.PrivateIpKept)
        {
            throw new DomainException(
                $"Move {MoveId}: destination reports {outcome.InstanceIdOnDestination}/{outcome.PrivateIpOnDestination}, "
                + $"expected {Instance.InstanceId}/{Instance.PrivateIp}.");
        }

        return Next() with { State = MoveState.Completed, FinishedAt = now, Receipt = receipt };
    }

    public InstanceMove Fail(DateTimeOffset now, string reason)
    {
        if (State.IsTerminal())
        {
            throw new DomainException($"Move {MoveId} is already {State}.");
        }

        return Next() with { State = MoveState.Failed, FinishedAt = now, FailureReason = reason };
    }

    private InstanceMove Next() => this with { Version = Version + 1 };

    private void Require(MoveState state, string action)
    {
        if (State != state)
        {
            throw new DomainException($"Move {MoveId} is {State}; it must be {state} to {action}.");
        }
    }
}
