using System.Globalization;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Domain.Metadata;

/// <summary>Azure's Scheduled Events document, as guest agents read it (names as Azure spells them).</summary>
public sealed record ScheduledEventsDocument(int DocumentIncarnation, IReadOnlyList<ScheduledEvent> Events);

/// <summary>One event of <see cref="ScheduledEventsDocument"/>.</summary>
/// <param name="NotBefore">RFC 1123, or empty once the event has started.</param>
/// <param name="DurationInSeconds">The expected pause, rounded up; -1 when not known.</param>
public sealed record ScheduledEvent(
    string EventId,
    string EventType,
    string ResourceType,
    IReadOnlyList<string> Resources,
    string EventStatus,
    string NotBefore,
    string Description,
    string EventSource,
    long DurationInSeconds);

/// <summary>An item of AWS's <c>events/maintenance/scheduled</c> and <c>/history</c> (names and dates as AWS spells them).</summary>
public sealed record AwsMaintenanceEvent(
    string Code,
    string Description,
    string EventId,
    string NotAfter,
    string NotBefore,
    string NotBeforeDeadline,
    string State);

/// <summary>
/// What software inside an instance learns about its maintenance, from the instance's own moves: the
/// documents of Azure's Scheduled Events and AWS's instance metadata, so agents written for either
/// work unchanged. A move that is scheduled or running is an event; a finished one leaves Azure's
/// document and goes to AWS's history.
/// </summary>
public static class GuestEvents
{
    /// <summary>
    /// Azure's document. Its incarnation counts every step of every move of the instance that changes
    /// what an agent sees (progress reports aside): it only grows, and grows with each change.
    /// </summary>
    public static ScheduledEventsDocument Azure(string instanceName, IEnumerable<InstanceMove> moves)
    {
        var all = moves.ToList();
        var incarnation = all.Sum(m => m.History.Count(e => e.Step != MoveStep.Round));
        return new ScheduledEventsDocument(incarnation, [.. all.Where(m => !m.State.IsTerminal()).Select(m => new ScheduledEvent(
            m.MoveId,
            m.Action == MoveAction.LiveMigration ? "Freeze" : "Redeploy",
            "VirtualMachine",
            [instanceName],
            m.State == MoveState.Migrating ? "Started" : "Scheduled",
            m.State == MoveState.Migrating ? "" : NotBefore(m).ToString("R", CultureInfo.InvariantCulture),
            Describe(m),
            "Platform",
            m.Prediction is { } p ? (long)Math.Ceiling(p.Pause.TotalSeconds) : -1))]);
    }

    /// <summary>AWS's scheduled events: the moves not finished.</summary>
    public static IReadOnlyList<AwsMaintenanceEvent> AwsScheduled(IEnumerable<InstanceMove> moves) =>
        [.. moves.Where(m => !m.State.IsTerminal()).Select(Aws)];

    /// <summary>AWS's history: the moves finished (completed, or called off).</summary>
    public static IReadOnlyList<AwsMaintenanceEvent> AwsHistory(IEnumerable<InstanceMove> moves) =>
        [.. moves.Where(m => m.State.IsTerminal()).Select(Aws)];

    /// <summary>The moves a guest may approve (Azure's StartRequests): the instance's moves not finished.</summary>
    public static bool CanBeApproved(InstanceMove move) => !move.State.IsTerminal();

    private static AwsMaintenanceEvent Aws(InstanceMove m) => new(
        m.Action == MoveAction.LiveMigration ? "system-maintenance" : "system-reboot",
        Describe(m),
        m.MoveId,
        AwsTime(m.Deadline),
        AwsTime(NotBefore(m)),
        AwsTime(m.LatestStart),
        m.State switch
        {
            MoveState.Completed => "completed",
            MoveState.Cancelled or MoveState.Failed => "canceled",
            _ => "active",
        });

    /// <summary>When the move may start: planned, or (a failed live attempt waiting for a new host) from the failure on.</summary>
    private static DateTimeOffset NotBefore(InstanceMove m) =>
        m.NotBefore != DateTimeOffset.MaxValue ? m.NotBefore : m.History.LastOrDefault(e => e.Step == MoveStep.AttemptFailed)?.At ?? m.ScheduledAt;

    private static string Describe(InstanceMove m)
    {
        var reason = m.Reason.Describe();
        var pause = m.Prediction?.Pause is { } p ? " about " + Span(p) : "";
        return m.Action == MoveAction.LiveMigration
            ? $"{reason}: live migration to another host; the instance keeps its ID and IP and pauses{pause} for the final copy."
            : $"{reason}: the instance is stopped and started on another host (a reboot{(pause.Length > 0 ? $" of{pause}" : "")}); it keeps its ID and IP.";
    }

    private static string Span(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{Math.Ceiling(span.TotalMilliseconds):0} ms"
        : span.TotalMinutes < 2 ? $"{Math.Ceiling(span.TotalSeconds):0} s"
        : $"{Math.Ceiling(span.TotalMinutes):0} min";

    /// <summary>A time as AWS's metadata writes it: <c>21 Jan 2019 09:00:43 GMT</c>.</summary>
    public static string AwsTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("d MMM yyyy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture);
}
