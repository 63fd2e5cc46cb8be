using System.Security.Claims;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Api;

/// <summary>The audit trail: operators read all of it, a tenant its own. Newest first, paged by cursor.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/operator/audit", (string? tenant, string? actor, string? action, string? from, string? to, string? limit,
                    string? cursor, IAuditTrail trail, CancellationToken ct) =>
                QueryAsync(trail, Query(tenant, actor, action, from, to, limit), cursor, ct))
            .RequireAuthorization(PortalClaims.OperatorPolicy)
            .WithTags("Operator: audit")
            .WithName("operator-audit").WithSummary("Every entry, filtered by tenant, actor, action (a name, or a prefix ending in '.') and time.");
        endpoints.MapGet("/api/tenant/audit", (string? actor, string? action, string? from, string? to, string? limit, string? cursor,
                    ClaimsPrincipal user, IAuditTrail trail, CancellationToken ct) =>
                QueryAsync(trail, Query(PortalClaims.TenantIdOf(user), actor, action, from, to, limit), cursor, ct))
            .RequireAuthorization(PortalClaims.TenantPolicy)
            .WithTags("Tenant: audit")
            .WithName("tenant-audit").WithSummary("The tenant's own entries, filtered by actor, action and time.");
        return endpoints;
    }

    /// <summary>A page of entries, newest first; <c>next</c> is the cursor of the next page (absent at the end).</summary>
    public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Entries, string? Next);

    /// <summary>One entry.</summary>
    public sealed record AuditEntryResponse(
        string Id,
        DateTimeOffset At,
        ActorKind ActorKind,
        string ActorId,
        string ActorName,
        string? TenantId,
        string Action,
        string Target,
        AuditOutcome Outcome,
        string? Detail,
        string? Source)
    {
        public static AuditEntryResponse Of(AuditEntry e) =>
            new(e.EntryId, e.At, e.Actor.Kind, e.Actor.Id, e.Actor.Name, e.TenantId, e.Action, e.Target, e.Outcome, e.Detail, e.Source);
    }

    private static async Task<AuditPageResponse> QueryAsync(IAuditTrail trail, AuditQuery query, string? cursor, CancellationToken cancellationToken)
    {
        var page = await trail.QueryAsync(query, cursor, cancellationToken);
        return new AuditPageResponse([.. page.Entries.Select(AuditEntryResponse.Of)], page.Next);
    }

    private static AuditQuery Query(string? tenant, string? actor, string? action, string? from, string? to, string? limit) =>
        new(tenant, actor, action, QueryString.Time(from, "from"), QueryString.Time(to, "to"),
            QueryString.Limit(limit, AuditQuery.DefaultLimit, AuditQuery.MaxLimit));
}
