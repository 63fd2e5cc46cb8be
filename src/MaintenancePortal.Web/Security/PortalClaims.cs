using System.Security.Claims;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Audit;

namespace MaintenancePortal.Web.Security;

/// <summary>The claims, roles and policies the portal signs people and keys in with and checks.</summary>
public static class PortalClaims
{
    /// <summary>The tenant a signed-in tenant user belongs to; every tenant query is scoped by it.</summary>
    public const string TenantId = "tenant_id";

    /// <summary>The id of the API key a request came with (absent for a person).</summary>
    public const string KeyId = "key_id";

    /// <summary>A scope of the API key a request came with, one claim per scope.</summary>
    public const string Scope = "scope";

    /// <summary>The instance a request came from, through its metadata address (absent for people and keys).</summary>
    public const string InstanceId = "instance_id";

    public const string TenantRole = "tenant";

    public const string OperatorRole = "operator";

    /// <summary>Policy: a signed-in tenant user with a tenant id, or a tenant's key with the scope the request needs.</summary>
    public const string TenantPolicy = "Tenant";

    /// <summary>Policy: an operator, or an operators' key with the scope the request needs.</summary>
    public const string OperatorPolicy = "Operator";

    /// <summary>The signed-in user's tenant (the tenant policy guarantees one): taken from the sign-in, never from a request.</summary>
    public static string TenantIdOf(ClaimsPrincipal user) => user.FindFirstValue(TenantId) ?? "";

    /// <summary>Whose keys the signed-in user or key manages: its tenant's, or the operators'.</summary>
    public static ApiKeyOwner KeyOwnerOf(ClaimsPrincipal user) =>
        user.IsInRole(OperatorRole) ? ApiKeyOwner.Operators : ApiKeyOwner.Tenant(TenantIdOf(user));

    /// <summary>Software inside one of the tenant's instances, known by the instance's metadata address (it has no role).</summary>
    public static ClaimsPrincipal Instance(string instanceId, string name, string tenantId) =>
        new(new ClaimsIdentity([new Claim(InstanceId, instanceId), new Claim(ClaimTypes.Name, name), new Claim(TenantId, tenantId)],
            "InstanceMetadata"));

    /// <summary>Who acts, for the audit trail: the key, the instance, the person, or (nobody signed in) an anonymous caller.</summary>
    public static AuditActor ActorOf(ClaimsPrincipal user)
    {
        var tenant = user.FindFirstValue(TenantId);
        if (user.FindFirstValue(InstanceId) is { } instanceId)
        {
            return new AuditActor(ActorKind.Instance, instanceId, $"{user.Identity?.Name} (from inside the instance)", tenant);
        }

        if (user.FindFirstValue(KeyId) is { } keyId)
        {
            return new AuditActor(ActorKind.Key, keyId, user.Identity?.Name ?? keyId, tenant);
        }

        return user.Identity is { IsAuthenticated: true } identity
            ? new AuditActor(ActorKind.User, user.FindFirstValue(ClaimTypes.NameIdentifier) ?? identity.Name ?? "unknown",
                identity.Name ?? "", tenant)
            : new AuditActor(ActorKind.User, "anonymous", "Not signed in", null);
    }
}
