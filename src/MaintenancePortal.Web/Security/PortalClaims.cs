using System.Security.Claims;

namespace MaintenancePortal.Web.Security;

/// <summary>The claims, roles and policies the portal signs people in with and checks.</summary>
public static class PortalClaims
{
    /// <summary>The tenant a signed-in tenant user belongs to; every tenant query is scoped by it.</summary>
    public const string TenantId = "tenant_id";

    public const string TenantRole = "tenant";

    public const string OperatorRole = "operator";

    /// <summary>Policy: a signed-in tenant user with a tenant id.</summary>
    public const string TenantPolicy = "Tenant";

    /// <summary>Policy: an operator.</summary>
    public const string OperatorPolicy = "Operator";

    /// <summary>The signed-in user's tenant (the tenant policy guarantees one): taken from the sign-in, never from a request.</summary>
    public static string TenantIdOf(ClaimsPrincipal user) => user.FindFirstValue(TenantId) ?? "";
}
