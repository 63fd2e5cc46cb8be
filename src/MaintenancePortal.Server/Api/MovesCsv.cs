using CsvHelper;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// The tenant's moves as CSV, written a page at a time as they are read, so an export of every move
/// never sits whole in memory. Text a spreadsheet would run as a formula is escaped.
/// </summary>
public static class MovesCsv
{
    private static readonly string[] Header =
    [
        "move_id", "maintenance_id", "instance_id", "instance_name", "private_ip", "reason", "action", "state", "source_host",
        "destination_host", "scheduled_at", "not_before", "latest_start", "deadline", "started_at", "finished_at",
        "failed_live_attempts", "downtime_ms", "why",
    ];

    public static async Task WriteAsync(HttpResponse response, ITenantPortal portal, string tenantId, MoveQuery query,
        CancellationToken cancellationToken)
    {
        query = query with { Limit = MoveQuery.MaxLimit };
        var first = await portal.QueryMovesAsync(tenantId, query, null, cancellationToken); // a refusal is still a problem-details answer
        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = "attachment; filename=\"migrations.csv\"";
        using var buffer = new MemoryStream();
        await using var csv = CsvWriter.Create(buffer, new CsvWriterOptions { Injection = CsvInjection.Escape }, leaveOpen: true);
        csv.WriteHeader(Header);
        for (var page = first; ; page = await portal.QueryMovesAsync(tenantId, query, page.Next, cancellationToken))
        {
            foreach (var move in page.Moves)
            {
                Write(csv, move);
            }

            // The writer fills memory; the response is written asynchronously, a page at a time.
            await csv.FlushAsync(cancellationToken);
            buffer.Position = 0;
            await buffer.CopyToAsync(response.Body, cancellationToken);
            buffer.SetLength(0);
            if (page.Next is null)
            {
                return;
            }
        }
    }

    private static void Write(CsvWriter csv, MoveSummary m)
    {
        csv.WriteRecord([
            m.MoveId, m.MaintenanceId, m.InstanceId, m.InstanceName, m.PrivateIp, m.Reason.ToString(), m.Action.ToString(), m.State.ToString(),
            m.SourceHostId, m.DestinationHostId, Time(m.ScheduledAt), Time(m.NotBefore), Time(m.LatestStart), Time(m.Deadline),
            Time(m.StartedAt), Time(m.FinishedAt), m.FailedLiveAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
            m.DowntimeMs?.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) ?? "", m.Why,
        ]);
    }

    private static string Time(DateTimeOffset? time) =>
        time is { } t && t != DateTimeOffset.MaxValue ? t.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture) : "";
}
