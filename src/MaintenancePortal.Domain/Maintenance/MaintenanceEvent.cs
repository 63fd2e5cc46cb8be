using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Maintenance;

/// <summary>Where a host's maintenance event is.</summary>
public enum MaintenanceState
{
    /// <summary>Instances are being moved off the host.</summary>
    Draining,

    /// <summary>Every instance has moved; the host is empty and out of service.</summary>
    Drained,

    /// <summary>The hardware work is done and the host is back in service.</summary>
    Completed,

    /// <summary>Called off by an operator: moves not yet started were cancelled.</summary>
    Cancelled,
}

/// <summary>A move as its maintenance event tracks it (a copy of the instance's move at <paramref name="Version"/>).</summary>
/// <param name="NotBefore">The earliest the move may start: its planned start, or later while its notice period runs (<see cref="InstanceMove.EarliestStart"/>).</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MaintenanceMove")]
public sealed record MaintenanceMove(
    [property: Id(0)] string MoveId,
    [property: Id(1)] string InstanceId,
    [property: Id(2)] string DestinationHostId,
    [property: Id(3)] DateTimeOffset NotBefore,
    [property: Id(4)] MoveState State,
    [property: Id(5)] MoveAction Action,
    [property: Id(6)] DateTimeOffset LatestStart,
    [property: Id(7)] bool NeedsReplan,
    [property: Id(8)] DateTimeOffset? StartedAt,
    [property: Id(9)] int Version)
{
    /// <summary>Held back only because no channel has delivered the move's notice yet (it starts at its latest start at the latest).</summary>
    [Id(10)]
    public bool AwaitingNotice { get; init; }

    /// <summary>How long a live attempt is given before it is aborted (<see cref="InstanceMove.LiveAllowance"/>).</summary>
    [Id(11)]
    public TimeSpan? LiveAllowance { get; init; }

    /// <summary>A running live attempt past its allowance is aborted, then retried elsewhere or moved by reboot in time.</summary>
    public bool IsOverrunning(DateTimeOffset now) =>
        this is { State: MoveState.Migrating, Action: MoveAction.LiveMigration, StartedAt: { } started, LiveAllowance: { } allowance }
        && now - started > allowance;

    /// <summary>
    /// The planner must decide again: a failed live attempt waits for a new destination, or a
    /// scheduled live move's latest start has passed (it falls back to a reboot).
    /// </summary>
    public bool MustBeReplanned(DateTimeOffset now) =>
        State == MoveState.Scheduled && (NeedsReplan || (Action == MoveAction.LiveMigration && now > LatestStart));
}

/// <summary>
/// Maintenance of one host: triggered with a reason, due by trigger + SLA, done when every
/// instance has moved. Knows which scheduled moves are due.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MaintenanceEvent")]
public sealed record MaintenanceEvent(
    [property: Id(0)] string MaintenanceId,
    [property: Id(1)] string HostId,
    [property: Id(2)] string TenantId,
    [property: Id(3)] MaintenanceReason Reason,
    [property: Id(4)] DateTimeOffset TriggeredAt,
    [property: Id(5)] DateTimeOffset Deadline,
    [property: Id(6)] MaintenanceState State,
    [property: Id(7)] ImmutableSortedDictionary<string, MaintenanceMove> Moves,
    [property: Id(8)] ImmutableSortedSet<string> Unplaced)
{
    public static MaintenanceEvent Trigger(string maintenanceId, string hostId, string tenantId,
        MaintenanceReason reason, DateTimeOffset now, MaintenanceOptions options) =>
        new(maintenanceId, hostId, tenantId, reason, now, now + options.CompletionSla, MaintenanceState.Draining,
            ImmutableSortedDictionary<string, MaintenanceMove>.Empty, ImmutableSortedSet<string>.Empty);

    /// <summary>
    /// Takes the instance's copy of a move. Copies arrive by more than one path (the instance's
    /// notice, a re-read after a failure or a crash) and not always in order: an older version of
    /// the move already tracked changes nothing.
    /// </summary>
    public MaintenanceEvent Track(InstanceMove move)
    {
        if (move.MaintenanceId != MaintenanceId)
        {
            throw new DomainException($"Move {move.MoveId} belongs to maintenance {move.MaintenanceId}, not {MaintenanceId}.");
        }

        if (Moves.TryGetValue(move.InstanceId, out var tracked) && tracked.MoveId == move.MoveId && tracked.Version >= move.Version)
        {
            return this;
        }

        return this with
        {
            Moves = Moves.SetItem(move.InstanceId,
                new MaintenanceMove(move.MoveId, move.InstanceId, move.DestinationHostId, move.EarliestStart, move.State,
                    move.Action, move.LatestStart, move.NeedsReplan, move.StartedAt, move.Version)
                {
                    AwaitingNotice = move is { State: MoveState.Scheduled, Notice.IsGiven: false },
                    LiveAllowance = move.LiveAllowance,
                }),
            Unplaced = Unplaced.Remove(move.InstanceId),
        };
    }

    /// <summary>No host of the tenant nor the spare pool had room for the instance.</summary>
    public MaintenanceEvent NoRoomFor(string instanceId) => this with { Unplaced = Unplaced.Add(instanceId) };

    /// <summary>Scheduled moves whose start time has come, earliest first (a move to be replanned first is not due).</summary>
    public IReadOnlyList<MaintenanceMove> Due(DateTimeOffset now) =>
        Moves.Values
            .Where(m => m.State == MoveState.Scheduled && !m.MustBeReplanned(now) && m.NotBefore <= now)
            .OrderBy(m => m.NotBefore).ThenBy(m => m.InstanceId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Moves the planner must decide again (<see cref="MaintenanceMove.MustBeReplanned"/>).</summary>
    public IReadOnlyList<MaintenanceMove> ToReplan(DateTimeOffset now) => Moves.Values.Where(m => m.MustBeReplanned(now)).ToList();

    public bool EveryMoveCompleted => Unplaced.IsEmpty && Moves.Values.All(m => m.State == MoveState.Completed);

    public int CompletedMoves => Moves.Values.Count(m => m.State == MoveState.Completed);

    /// <summary>Moves that have not started.</summary>
    public IReadOnlyList<MaintenanceMove> NotStarted => Moves.Values.Where(m => m.State == MoveState.Scheduled).ToList();

    /// <summary>An operator calls the maintenance off: moves not started are cancelled, moves already running finish.</summary>
    public MaintenanceEvent Cancel()
    {
        if (State != MaintenanceState.Draining)
        {
            throw new DomainException($"Maintenance {MaintenanceId} is {State}; only a draining maintenance can be cancelled.");
        }

        var cancelled = NotStarted.Select(m => m with { State = MoveState.Cancelled });
        return this with { State = MaintenanceState.Cancelled, Moves = Moves.SetItems(cancelled.Select(m => KeyValuePair.Create(m.InstanceId, m))) };
    }

    /// <summary>
    /// Whether the event still has work to watch: it drains, or it was cancelled and a move it
    /// started still runs (its end frees a migration slot and room).
    /// </summary>
    public bool IsWatching => State == MaintenanceState.Draining
                              || (State == MaintenanceState.Cancelled && Moves.Values.Any(m => m.State == MoveState.Migrating));

    /// <summary>The work on the drained host is done.</summary>
    public MaintenanceEvent Complete() => State == MaintenanceState.Drained
        ? this with { State = MaintenanceState.Completed }
        : throw new DomainException($"Maintenance {MaintenanceId} is {State}; it must be drained to be completed.");

    /// <summary>Moves that are not done and can no longer be sure to finish a safety margin before the deadline.</summary>
    public IReadOnlyList<string> AtRisk(DateTimeOffset now, MaintenanceOptions options) =>
        [
            .. Unplaced,
            .. Moves.Values.Where(m => m.State != MoveState.Completed && now > Deadline - options.SafetyMargin).Select(m => m.InstanceId),
        ];

    public MaintenanceEvent MarkDrained()
    {
        if (!EveryMoveCompleted)
        {
            throw new DomainException(
                $"Maintenance {MaintenanceId} still has {Moves.Count - CompletedMoves + Unplaced.Count} instance(s) not moved.");
        }

        return this with { State = MaintenanceState.Drained };
    }
}
