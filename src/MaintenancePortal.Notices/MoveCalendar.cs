using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Notices;

/// <summary>
/// Moves as iCalendar events, one writer for the tenant's calendar feed and the attachment of a
/// scheduled notice, so the two cannot disagree: a UID per move that never changes, a SEQUENCE that
/// grows each time its start is moved, the move's page as the event's URL.
/// </summary>
public static class MoveCalendar
{
    /// <summary>The calendar of the moves; <paramref name="movePages"/> is the address the move ids are appended to.</summary>
    public static string Write(IEnumerable<MoveSummary> moves, DateTimeOffset now, string movePages)
    {
        var calendar = new Calendar { ProductId = "-//MaintenancePortal//Maintenance of my instances//EN" };
        calendar.AddProperty("X-WR-CALNAME", "Maintenance of my instances");
        foreach (var move in moves)
        {
            var (start, end) = When(move);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{move.MoveId}@maintenanceportal",
                Sequence = move.Sequence,
                DtStamp = Utc(now),
                Start = Utc(start),
                End = Utc(end),
                Summary = $"{(move.Action == MoveAction.LiveMigration ? "Live migration" : "Reboot-based move")} of {move.InstanceName}",
                Description = $"{move.State}: {move.Why} Instance {move.InstanceId} ({move.PrivateIp}) keeps its ID and IP. "
                              + $"Latest start {move.LatestStart:u}, deadline {move.Deadline:u}.",
                Status = move.State is MoveState.Cancelled or MoveState.Failed ? EventStatus.Cancelled : EventStatus.Confirmed,
                Url = new Uri(movePages + move.MoveId),
                Transparency = move.Action == MoveAction.LiveMigration ? "TRANSPARENT" : "OPAQUE",
            });
        }

        return new CalendarSerializer(calendar).SerializeToString() ?? "";
    }

    /// <summary>When the move happened or is expected: as it ran, else its start and its predicted length (one minute at least).</summary>
    private static (DateTimeOffset Start, DateTimeOffset End) When(MoveSummary move)
    {
        var start = move.StartedAt ?? (move.NotBefore == DateTimeOffset.MaxValue ? move.LatestStart : move.NotBefore);
        var length = move.PredictedDuration is { } predicted && predicted > TimeSpan.FromMinutes(1) ? predicted : TimeSpan.FromMinutes(1);
        var end = move.State == MoveState.Completed && move.FinishedAt is { } finished && finished > start ? finished : start + length;
        return (start, end);
    }

    private static CalDateTime Utc(DateTimeOffset time) => new(time.UtcDateTime, "UTC", true);
}
