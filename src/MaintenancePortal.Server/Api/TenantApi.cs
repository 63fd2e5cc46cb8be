using System.Security.Claims;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Api;

/// <summary>The tenant REST API. The tenant is always the caller's own, taken from the sign-in, never from the request.</summary>
public static class TenantApi
{
    public static IEndpointRouteBuilder MapTenantApi(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup("/api/tenant").RequireAuthorization(PortalClaims.TenantPolicy);
        tenant.MapGet("/migrations", GetMigrationsAsync);
        return endpoints;
    }

    private static async Task<IReadOnlyList<InstanceMove>> GetMigrationsAsync(ClaimsPrincipal user, ITenantPortal portal,
        CancellationToken cancellationToken) =>
        await portal.GetMovesAsync(user.FindFirstValue(PortalClaims.TenantId)!, cancellationToken);
}
