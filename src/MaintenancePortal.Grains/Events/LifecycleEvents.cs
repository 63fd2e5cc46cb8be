using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Grains.Events;

/// <summary>Turns domain transitions into the lifecycle events of the contracts, each with a new stable id.</summary>
public static class LifecycleEvents
{
    public static HostMaintenanceStarted Started(MaintenanceEvent maintenance, int instanceCount) =>
        new(Guid.NewGuid(), maintenance.TriggeredAt, maintenance.TenantId, maintenance.MaintenanceId,
            maintenance.HostId, maintenance.Reason.ToString(), maintenance.Deadline, instanceCount);

    public static HostMaintenanceCancelled MaintenanceCancelled(MaintenanceEvent maintenance, int movesCancelled, DateTimeOffset now) =>
        new(Guid.NewGuid(), now, maintenance.TenantId, maintenance.MaintenanceId, maintenance.HostId, movesCancelled);

    public static HostMaintenanceCompleted MaintenanceCompleted(MaintenanceEvent maintenance, DateTimeOffset now) =>
        new(Guid.NewGuid(), now, maintenance.TenantId, maintenance.MaintenanceId, maintenance.HostId);

    public static SlaAtRisk AtRisk(MaintenanceEvent maintenance, string instanceId, string why, DateTimeOffset now) =>
        new(Guid.NewGuid(), now, maintenance.TenantId, maintenance.MaintenanceId, instanceId, maintenance.Deadline, why);

    public static InstanceMoveCancelled Cancelled(InstanceMove move) =>
        new(Guid.NewGuid(), move.FinishedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId, move.Why);

    public static HostDrained Drained(MaintenanceEvent maintenance, DateTimeOffset now) =>
        new(Guid.NewGuid(), now, maintenance.TenantId, maintenance.MaintenanceId, maintenance.HostId,
            maintenance.CompletedMoves);

    /// <summary>The announcement of a move as planned: a live migration or a reboot-based move.</summary>
    public static IMaintenanceLifecycleEvent Scheduled(InstanceMove move, DateTimeOffset now) => move.Action switch
    {
        MoveAction.RebootMove => new InstanceRebootScheduled(Guid.NewGuid(), now, move.TenantId, move.MaintenanceId, move.MoveId,
            move.InstanceId, move.Instance.PrivateIp, move.Reason.ToString(), move.SourceHostId, move.DestinationHostId,
            move.NotBefore, move.Deadline, move.Why),
        _ => new InstanceMigrationScheduled(Guid.NewGuid(), now, move.TenantId, move.MaintenanceId, move.MoveId,
            move.InstanceId, move.Instance.PrivateIp, move.Reason.ToString(), move.SourceHostId, move.DestinationHostId,
            move.NotBefore, move.LatestStart, move.Deadline),
    };

    public static InstanceMigrationStarted MigrationStarted(InstanceMove move) =>
        new(Guid.NewGuid(), move.StartedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId,
            move.SourceHostId, move.DestinationHostId);

    public static InstanceMigrationProgressed Progressed(InstanceMove move, DateTimeOffset now)
    {
        var p = move.Progress!;
        return new(Guid.NewGuid(), now, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId, p.Round,
            p.BytesSent, p.RemainingBytes, p.DirtyRateMiBps, p.ExpectedDowntimeMs, p.PercentComplete, p.ThrottlePercent);
    }

    /// <summary>The receipt of a finished move, live or reboot.</summary>
    public static IMaintenanceLifecycleEvent Completed(InstanceMove move)
    {
        var r = move.Receipt!;
        return r.Method is { } method
            ? new InstanceMigrationCompleted(Guid.NewGuid(), move.FinishedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId,
                r.InstanceIdAfter, r.PrivateIpAfter, move.SourceHostId, move.DestinationHostId, r.DowntimeMs, r.TotalTime,
                r.Rounds, r.BytesTransferred, method.ToString(), r.MaxThrottlePercent)
            : new InstanceRebootCompleted(Guid.NewGuid(), move.FinishedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId,
                r.InstanceIdAfter, r.PrivateIpAfter, move.SourceHostId, move.DestinationHostId, r.DowntimeMs);
    }

    /// <summary>A failed live attempt (the move already counts it and names the host it failed on last).</summary>
    public static InstanceMigrationFailed AttemptFailed(InstanceMove move, DateTimeOffset now) => Failed(move, move.FailedDestinations[^1], now);

    /// <summary>A move that failed on <paramref name="destinationHostId"/>: a live attempt, or a reboot-based move refused there.</summary>
    public static InstanceMigrationFailed Failed(InstanceMove move, string destinationHostId, DateTimeOffset now) =>
        new(Guid.NewGuid(), now, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId, move.SourceHostId,
            destinationHostId, move.FailedLiveAttempts, move.FailureReason ?? "unknown");
}
