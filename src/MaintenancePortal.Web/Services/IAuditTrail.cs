using MaintenancePortal.Domain.Audit;

namespace MaintenancePortal.Web.Services;

/// <summary>The append-only record of who changed what. Entries are added, never changed or removed.</summary>
public interface IAuditTrail
{
    /// <summary>Adds an entry; when it cannot be kept, throws (the action it records is not answered as done).</summary>
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>A page of the entries the query matches, newest first, from <paramref name="cursor"/> (null: the newest).</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, string? cursor, CancellationToken cancellationToken = default);
}
