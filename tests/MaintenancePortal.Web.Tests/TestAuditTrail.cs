using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>An audit trail in memory, read with the domain's own query rule.</summary>
public sealed class TestAuditTrail : IAuditTrail
{
    public List<AuditEntry> Entries { get; } = [];

    public List<AuditQuery> Queries { get; } = [];

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        Entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, string? cursor, CancellationToken cancellationToken = default)
    {
        Queries.Add(query);
        var matching = Entries.OrderBy(e => e.EntryId, StringComparer.Ordinal)
            .Where(e => (cursor is null || string.CompareOrdinal(e.EntryId, cursor) > 0) && query.Matches(e)).Take(query.Limit + 1).ToList();
        return Task.FromResult(matching.Count > query.Limit
            ? new AuditPage(matching[..query.Limit], matching[query.Limit - 1].EntryId)
            : new AuditPage(matching, null));
    }
}
