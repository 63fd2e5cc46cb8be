using System.Collections.Immutable;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Maintenance;

/// <summary>
/// One instance's move off a host under maintenance. Immutable: each transition returns the next
/// version and refuses what the state does not allow.
/// </summary>
/// <param name="Version">Grows by one on every transition, so readers can drop stale copies.</param>
/// <param name="LatestStart">The latest the move may start and still finish before the deadline (with room to fall back, for a live move).</param>
/// <param name="FailedLiveAttempts">Live attempts that failed; each retry goes to another destination.</param>
/// <param name="Why">The planner's reason for the action and the time, as the tenant reads it.</param>
/// <param name="NeedsReplan">A live attempt failed: the move waits for a new destination and decision.</param>
/// <param name="FailedDestinations">Hosts a live attempt failed on; a retry goes elsewhere.</param>
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
    [property: Id(16)] int Version,
    [property: Id(17)] DateTimeOffset LatestStart,
    [property: Id(18)] int FailedLiveAttempts,
    [property: Id(19)] string Why,
    [property: Id(20)] bool NeedsReplan,
    [property: Id(21)] ImmutableList<string> FailedDestinations)
{
    /// <summary>Every step of the move, oldest first (see <see cref="MoveHistory"/>).</summary>
    [Id(22)]
    public ImmutableList<MoveHistoryEntry> History { get; init; } = [];

    /// <summary>The planner's expectation of the pause and the length of the move as now planned (null when it made none).</summary>
    [Id(23)]
    public MovePrediction? Prediction { get; init; }

    /// <summary>
    /// The notice the move owes and how it was given (null for a move planned before notices were
    /// recorded: it counts as given when it was scheduled).
    /// </summary>
    [Id(24)]
    public MoveNotice? Notice { get; init; }

    /// <summary>How long the live attempt is given before it is aborted, as the planner decided it (null: never).</summary>
    [Id(25)]
    public TimeSpan? LiveAllowance { get; init; }

    /// <summary>
    /// The earliest the move may start: its planned start, or later while the notice period has not
    /// passed since notice was given; a move whose notice was never delivered waits until its latest
    /// start and then goes ahead, so its deadline holds.
    /// </summary>
    public DateTimeOffset EarliestStart => Notice switch
    {
        null => NotBefore,
        { CountsFrom: { } counted } => Max(NotBefore, Min(counted, LatestStart)),
        _ => Max(NotBefore, LatestStart),
    };

    /// <summary>The live attempt under way or next: 1, then 2 after a failed one, ...</summary>
    public int Attempt => FailedLiveAttempts + 1;

    public string InstanceId => Instance.InstanceId;

    public string TenantId => Instance.TenantId;

    /// <summary>Announces a move to the tenant, as the planner decided it.</summary>
    /// <param name="awaitNotice">The tenant has a channel that delivers notices (an e-mail contact or a webhook endpoint): the notice period counts from the first delivery.</param>
    public static InstanceMove Schedule(
        string moveId, string maintenanceId, InstanceSpec instance, MaintenanceReason reason,
        string sourceHostId, string destinationHostId, DateTimeOffset now, DateTimeOffset deadline, MoveDecision decision,
        bool awaitNotice = false)
    {
        if (sourceHostId == destinationHostId)
        {
            throw new DomainException($"Instance {instance.InstanceId} cannot move to the host it is on ({sourceHostId}).");
        }

        return new InstanceMove(moveId, maintenanceId, instance, reason, decision.Action, sourceHostId,
            destinationHostId, MoveState.Scheduled, now, decision.NotBefore, deadline, null, null, null, null, null, 1,
            decision.LatestStart, 0, decision.Why, false, [])
        {
            History = [new MoveHistoryEntry(now, MoveStep.Scheduled, 1, destinationHostId, decision.Why, Start: decision.NotBefore)],
            Prediction = decision.Prediction,
            LiveAllowance = decision.LiveAllowance,
            Notice = MoveNotice.Planned(decision.NoticePeriod, awaitNotice, now),
        };
    }

    /// <summary>The tenant picks another start: from now up to the latest start, never later.</summary>
    public InstanceMove Reschedule(DateTimeOffset now, DateTimeOffset start) =>
        MoveStart(now, start, MoveStep.Rescheduled, "Rescheduled by you.");

    private InstanceMove MoveStart(DateTimeOffset now, DateTimeOffset start, MoveStep step, string why)
    {
        Require(MoveState.Scheduled, step == MoveStep.Approved ? "be approved" : "be rescheduled");
        if (start < now)
        {
            throw new DomainException($"Move {MoveId} cannot be rescheduled into the past ({start:O}).");
        }

        if (start > LatestStart)
        {
            throw new DomainException(
                $"Move {MoveId} must start by {LatestStart:O} to finish before its deadline {Deadline:O}; {start:O} is too late.");
        }

        return Next(now, step, null, why, start) with { NotBefore = start, Why = why, Notice = MoveNotice.ChosenByTenant(now) };
    }

    /// <summary>
    /// The tenant approves the move: it starts now instead of waiting. Approving a move that already
    /// runs changes nothing (the same move comes back); a finished move has nothing to approve.
    /// </summary>
    public InstanceMove Approve(DateTimeOffset now) => State switch
    {
        MoveState.Scheduled => MoveStart(now, now, MoveStep.Approved, "Approved by you: it starts now."),
        MoveState.Migrating => this,
        _ => throw new DomainException($"Move {MoveId} is {State}: there is nothing left to approve."),
    };

    /// <summary>
    /// The planner decided again before the move started: a live move falls back to a reboot, or a
    /// failed live attempt gets its new destination.
    /// </summary>
    /// <remarks>
    /// A move that changes how it is made (a live move falling back to a reboot) owes the new notice;
    /// a live move retried on another host keeps the notice already given.
    /// </remarks>
    public InstanceMove Replan(DateTimeOffset now, MoveDecision decision, string destinationHostId, bool awaitNotice = false)
    {
        Require(MoveState.Scheduled, "be replanned");
        if (destinationHostId == SourceHostId)
        {
            throw new DomainException($"Instance {InstanceId} cannot move to the host it is on ({SourceHostId}).");
        }

        return Next(now, MoveStep.Replanned, destinationHostId, decision.Why, decision.NotBefore) with
        {
            Action = decision.Action, NotBefore = decision.NotBefore, LatestStart = decision.LatestStart, Why = decision.Why,
            DestinationHostId = destinationHostId, NeedsReplan = false, Prediction = decision.Prediction ?? Prediction,
            LiveAllowance = decision.LiveAllowance,
            Notice = decision.Action == Action && Notice is not null ? Notice : MoveNotice.Planned(decision.NoticePeriod, awaitNotice, now),
        };
    }

    /// <summary>A live attempt failed; the instance still runs on its source and the move waits to be replanned.</summary>
    public InstanceMove LiveAttemptFailed(DateTimeOffset now, string failure)
    {
        Require(MoveState.Migrating, "record a failed attempt");
        if (Action != MoveAction.LiveMigration)
        {
            throw new DomainException($"Move {MoveId} is a {Action}, not a live migration.");
        }

        return Next(now, MoveStep.AttemptFailed, DestinationHostId, failure) with
        {
            State = MoveState.Scheduled, FailedLiveAttempts = FailedLiveAttempts + 1, FailureReason = failure,
            FailedDestinations = FailedDestinations.Add(DestinationHostId), StartedAt = null, Progress = null,
            NeedsReplan = true, NotBefore = DateTimeOffset.MaxValue, Why = $"Live attempt {FailedLiveAttempts + 1} failed: {failure}",
        };
    }

    /// <summary>
    /// A channel delivered the announcement of the move as it is now planned (<paramref name="action"/>):
    /// the notice period counts from the first delivery; a later one, or one of an announcement since
    /// replaced (a live move's after it fell back to a reboot), changes nothing.
    /// </summary>
    public InstanceMove NoticeGiven(DateTimeOffset at, MoveAction action, NoticeChannel channel, string to)
    {
        if (State != MoveState.Scheduled || action != Action || Notice is not { IsGiven: false } notice)
        {
            return this;
        }

        var given = notice with { GivenAt = at, Channel = channel, To = to };
        return Next(at, MoveStep.NoticeGiven, null, $"Notice given {given.HowGiven}.") with { Notice = given };
    }

    public bool CanStart(DateTimeOffset now) => State == MoveState.Scheduled && !NeedsReplan && now >= EarliestStart;

    public InstanceMove Start(DateTimeOffset now)
    {
        if (!CanStart(now))
        {
            throw new DomainException(State == MoveState.Scheduled
                ? $"Move {MoveId} may not start before {EarliestStart:O}."
                : $"Move {MoveId} is {State} and cannot start.");
        }

        return Next(now, MoveStep.Started, DestinationHostId, Action == MoveAction.LiveMigration ? $"Live attempt {Attempt}." : "Stopped for a reboot move.")
            with { State = MoveState.Migrating, StartedAt = now };
    }

    public InstanceMove Report(DateTimeOffset now, MigrationProgress progress)
    {
        Require(MoveState.Migrating, "report progress");
        return Next() with { Progress = progress, History = MoveHistory.AddRound(History, now, Attempt, DestinationHostId, progress) };
    }

    /// <summary>
    /// The destination runs the instance (live, or after a reboot). The receipt compares the identity the destination
    /// reported with the one scheduled; a different ID or IP is refused rather than recorded.
    /// </summary>
    public InstanceMove Complete(DateTimeOffset now, MigrationOutcome outcome)
    {
        Require(MoveState.Migrating, "complete");
        if ((outcome.Method is null) != (Action == MoveAction.RebootMove))
        {
            throw new DomainException($"Move {MoveId} is a {Action}; the hypervisor reports a {outcome.Method?.ToString() ?? "reboot"}.");
        }

        if (!KeepsIdentity(outcome))
        {
            throw new DomainException($"Move {MoveId}: {IdentityRefusal(outcome)}");
        }

        var receipt = new MigrationReceipt(outcome.DowntimeMs, now - StartedAt!.Value, outcome.Rounds, outcome.BytesTransferred,
            Instance.InstanceId, outcome.InstanceIdOnDestination, Instance.PrivateIp, outcome.PrivateIpOnDestination,
            outcome.Method, outcome.MaxThrottlePercent);
        return Next(now, MoveStep.Completed, DestinationHostId, null) with { State = MoveState.Completed, FinishedAt = now, Receipt = receipt };
    }

    /// <summary>Whether the destination runs the instance under the ID and IP it had.</summary>
    public bool KeepsIdentity(MigrationOutcome outcome) =>
        outcome.InstanceIdOnDestination == Instance.InstanceId && outcome.PrivateIpOnDestination == Instance.PrivateIp;

    /// <summary>
    /// The destination reports the instance under another ID or IP: the move is refused, never
    /// completed. A live attempt counts as failed (the instance is still the source's and is moved
    /// again elsewhere); a reboot-based move fails, and its maintenance reports it at risk.
    /// </summary>
    public InstanceMove RefuseIdentity(DateTimeOffset now, MigrationOutcome outcome) =>
        Action == MoveAction.LiveMigration ? LiveAttemptFailed(now, IdentityRefusal(outcome)) : Fail(now, IdentityRefusal(outcome));

    private string IdentityRefusal(MigrationOutcome outcome) =>
        $"The destination reports {outcome.InstanceIdOnDestination}/{outcome.PrivateIpOnDestination}, expected "
        + $"{Instance.InstanceId}/{Instance.PrivateIp}: refused.";

    /// <summary>An operator called the move off before it started; a cancelled move stays as it is.</summary>
    public InstanceMove Cancel(DateTimeOffset now, string reason)
    {
        if (State == MoveState.Cancelled)
        {
            return this;
        }

        Require(MoveState.Scheduled, "be cancelled");
        return Next(now, MoveStep.Cancelled, null, reason) with { State = MoveState.Cancelled, FinishedAt = now, Why = reason };
    }

    public InstanceMove Fail(DateTimeOffset now, string reason)
    {
        if (State.IsTerminal())
        {
            throw new DomainException($"Move {MoveId} is already {State}.");
        }

        return Next(now, MoveStep.Failed, null, reason) with { State = MoveState.Failed, FinishedAt = now, FailureReason = reason };
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private InstanceMove Next() => this with { Version = Version + 1 };

    /// <summary>The next version, with the step on its timeline.</summary>
    private InstanceMove Next(DateTimeOffset now, MoveStep step, string? hostId, string? detail, DateTimeOffset? start = null) =>
        this with { Version = Version + 1, History = History.Add(new MoveHistoryEntry(now, step, Attempt, hostId, detail, Start: start)) };

    private void Require(MoveState state, string action)
    {
        if (State != state)
        {
            throw new DomainException($"Move {MoveId} is {State}; it must be {state} to {action}.");
        }
    }
}
