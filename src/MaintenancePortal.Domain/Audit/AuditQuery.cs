namespace MaintenancePortal.Domain.Audit;

/// <summary>
/// Which entries to read, newest first: by tenant, actor (id), action (a name, or a prefix ending
/// in <c>.</c>: <c>webhook.</c>), and time. Every store applies it through <see cref="Matches"/> or
/// a translation of it tested against it.
/// </summary>
public sealed record AuditQuery(
    string? TenantId = null,
    string? ActorId = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    int Limit = AuditQuery.DefaultLimit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>The furthest back a query reaches when it names no start.</summary>
    public static readonly TimeSpan DefaultReach = TimeSpan.FromDays(90);

    /// <summary>The query, checked: a refusal names the parameter.</summary>
    public AuditQuery Checked()
    {
        if (Limit is < 1 or > MaxLimit)
        {
            throw new InvalidRequestException("limit", $"Give a limit from 1 to {MaxLimit}.");
        }

        if (From is { } from && To is { } to && from > to)
        {
            throw new InvalidRequestException("from", "The start of the range is after its end.");
        }

        foreach (var (value, field) in new[] { (TenantId, "tenant"), (ActorId, "actor"), (Action, "action") })
        {
            if (value is { } text && (text.Length is 0 or > 100 || text.Any(char.IsControl)))
            {
                throw new InvalidRequestException(field, "Give 1 to 100 characters, without control characters.");
            }
        }

        return this;
    }

    /// <summary>A page's cursor, checked: an entry id (the last of the page before), or null for the first page.</summary>
    public static string? CheckedCursor(string? cursor) =>
        cursor is null || AuditEntry.IsId(cursor) ? cursor : throw new InvalidRequestException("cursor", "Give the cursor a page answered with.");

    public bool Matches(AuditEntry entry) =>
        (TenantId is null || entry.TenantId == TenantId)
        && (ActorId is null || entry.Actor.Id == ActorId)
        && (Action is null || (Action.EndsWith('.') ? entry.Action.StartsWith(Action, StringComparison.Ordinal) : entry.Action == Action))
        && (From is null || entry.At >= From)
        && (To is null || entry.At <= To);
}

/// <summary>A page of entries, newest first, and the cursor of the next page (null at the end).</summary>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, string? Next);
