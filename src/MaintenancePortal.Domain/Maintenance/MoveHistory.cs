using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Maintenance;

/// <summary>What happened to a move, one step at a time, as its timeline shows it.</summary>
public enum MoveStep
{
    /// <summary>The planner announced the move.</summary>
    Scheduled,

    /// <summary>The planner decided again before the move started (a new destination, or a fall-back to a reboot).</summary>
    Replanned,

    /// <summary>The tenant picked another start.</summary>
    Rescheduled,

    /// <summary>The tenant asked for the move to start now.</summary>
    Approved,

    /// <summary>An attempt began copying memory (or the instance stopped, for a reboot move).</summary>
    Started,

    /// <summary>A pre-copy round as last reported: bytes sent and remaining, dirty rate, throttle.</summary>
    Round,

    /// <summary>A live attempt failed; the instance kept running on its source.</summary>
    AttemptFailed,

    /// <summary>The instance runs on its destination with the same ID and IP.</summary>
    Completed,

    /// <summary>Called off before it started.</summary>
    Cancelled,

    /// <summary>Stopped without moving the instance.</summary>
    Failed,

    /// <summary>A channel delivered the move's announcement: the notice period counts from here.</summary>
    NoticeGiven,
}

/// <summary>One step of a move's timeline.</summary>
/// <param name="Attempt">The live attempt the step belongs to (1 for the first; a retry is 2, ...).</param>
/// <param name="HostId">The destination the step concerns, when it concerns one.</param>
/// <param name="Detail">The reason or plan, as the tenant reads it.</param>
/// <param name="Progress">For a <see cref="MoveStep.Round"/>: the round's last report.</param>
/// <param name="Start">For a step that plans the start (scheduled, replanned, rescheduled, approved): the start it plans.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveHistoryEntry")]
public sealed record MoveHistoryEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] MoveStep Step,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string? HostId,
    [property: Id(4)] string? Detail,
    [property: Id(5)] MigrationProgress? Progress = null,
    [property: Id(6)] DateTimeOffset? Start = null);

/// <summary>The rules of a move's timeline: every step kept, one entry per pre-copy round, bounded.</summary>
public static class MoveHistory
{
    /// <summary>Round entries kept per move; past this the oldest rounds are dropped (every other step is kept).</summary>
    public const int RoundsKept = 120;

    /// <summary>
    /// Records a progress report: it replaces the last report of the same round of the same attempt,
    /// so each round has one entry holding where it ended (or stands).
    /// </summary>
    public static ImmutableList<MoveHistoryEntry> AddRound(ImmutableList<MoveHistoryEntry> history, DateTimeOffset at, int attempt,
        string hostId, MigrationProgress progress)
    {
        var entry = new MoveHistoryEntry(at, MoveStep.Round, attempt, hostId, null, progress);
        if (history.Count > 0 && history[^1] is { Step: MoveStep.Round } last && last.Attempt == attempt
            && last.Progress!.Round == progress.Round)
        {
            return history.SetItem(history.Count - 1, entry);
        }

        history = history.Add(entry);
        var rounds = history.Count(e => e.Step == MoveStep.Round);
        return rounds > RoundsKept ? history.Remove(history.First(e => e.Step == MoveStep.Round)) : history;
    }

    /// <summary>The rounds of one attempt, oldest first: what the chart of a move draws.</summary>
    public static IReadOnlyList<MoveHistoryEntry> RoundsOf(IEnumerable<MoveHistoryEntry> history, int attempt) =>
        history.Where(e => e.Step == MoveStep.Round && e.Attempt == attempt).ToList();
}
