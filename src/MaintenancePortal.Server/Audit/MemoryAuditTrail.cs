using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Audit;

/// <summary>The embedded profile's audit trail: in memory, like everything else there.</summary>
public sealed class MemoryAuditTrail : IAuditTrail
{
    private readonly SortedList<string, AuditEntry> _entries = new(StringComparer.Ordinal);

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_entries)
        {
            _entries.Add(entry.EntryId, entry.Bounded());
        }

        return Task.CompletedTask;
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, string? cursor, CancellationToken cancellationToken = default)
    {
        query = query.Checked();
        cursor = AuditQuery.CheckedCursor(cursor);
        List<AuditEntry> page;
        lock (_entries)
        {
            page = [.. _entries.Values
                .Where(e => (cursor is null || string.CompareOrdinal(e.EntryId, cursor) > 0) && query.Matches(e))
                .Take(query.Limit + 1)];
        }

        return Task.FromResult(AuditPages.Of(page, query.Limit));
    }
}

/// <summary>A page from up to one entry more than asked for: the extra one only says there is a next page.</summary>
internal static class AuditPages
{
    public static AuditPage Of(List<AuditEntry> entries, int limit) => entries.Count > limit
        ? new AuditPage(entries[..limit], entries[limit - 1].EntryId)
        : new AuditPage(entries, null);
}
