using System.Security.Claims;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// API keys: a tenant's under <c>/api/tenant/keys</c>, the operators' under <c>/api/operator/keys</c>.
/// The owner is the caller's own; another owner's key id is answered 404.
/// </summary>
public static class KeyApi
{
    public static IEndpointRouteBuilder MapKeyApi(this IEndpointRouteBuilder endpoints)
    {
        Map(endpoints.MapGroup("/api/tenant/keys").RequireAuthorization(PortalClaims.TenantPolicy).WithTags("Tenant: API keys"), "tenant");
        Map(endpoints.MapGroup("/api/operator/keys").RequireAuthorization(PortalClaims.OperatorPolicy).WithTags("Operator: API keys"), "operator");
        return endpoints;
    }

    private static void Map(RouteGroupBuilder keys, string side)
    {
        keys.MapGet("/", async (ClaimsPrincipal user, IApiKeys apiKeys, CancellationToken ct) =>
                (await apiKeys.ListAsync(PortalClaims.KeyOwnerOf(user), ct)).Select(KeyResponse.Of).ToList())
            .WithName($"{side}-keys-list").WithSummary("The keys, newest first (revoked and expired ones for 30 days).");
        keys.MapPost("/", CreateAsync)
            .WithName($"{side}-keys-create").WithSummary("Makes a key; its text is in this answer only.");
        keys.MapDelete("/{keyId:id}", async (string keyId, ClaimsPrincipal user, IApiKeys apiKeys, CancellationToken ct) =>
                KeyResponse.Of(await apiKeys.RevokeAsync(PortalClaims.KeyOwnerOf(user), keyId, ct)))
            .WithName($"{side}-keys-revoke").WithSummary("Revokes a key: refused at once from then on, everywhere.");
    }

    /// <summary>Body of a new key: a name, its scopes (Read, Manage), and an optional expiry (at most a year ahead).</summary>
    public sealed record CreateKeyRequest(string? Name, List<ApiKeyScope?>? Scopes, DateTimeOffset? ExpiresAt);

    /// <summary>A key as listed: never its text.</summary>
    public sealed record KeyResponse(
        string Id,
        string Name,
        IReadOnlyList<ApiKeyScope> Scopes,
        DateTimeOffset CreatedAt,
        string CreatedBy,
        DateTimeOffset? ExpiresAt,
        DateTimeOffset? RevokedAt,
        DateTimeOffset? LastUsedAt)
    {
        public static KeyResponse Of(ApiKey key) =>
            new(key.KeyId, key.Name, key.Scopes, key.CreatedAt, key.CreatedBy, key.ExpiresAt, key.RevokedAt, key.LastUsedAt);
    }

    /// <summary>A key just made, with its text: shown this once.</summary>
    public sealed record CreatedKeyResponse(KeyResponse Key, string Text);

    private static async Task<Created<CreatedKeyResponse>> CreateAsync(CreateKeyRequest request, ClaimsPrincipal user, IApiKeys apiKeys,
        HttpRequest http, CancellationToken cancellationToken)
    {
        IReadOnlyList<ApiKeyScope>? scopes = request.Scopes is null ? null : RequestBody.Values(request.Scopes, "scopes");
        var created = await apiKeys.CreateAsync(PortalClaims.KeyOwnerOf(user), request.Name, scopes, request.ExpiresAt, cancellationToken);
        return TypedResults.Created($"{http.PathBase}{http.Path.Value?.TrimEnd('/')}/{created.Key.KeyId}",
            new CreatedKeyResponse(KeyResponse.Of(created.Key), created.Text));
    }
}
