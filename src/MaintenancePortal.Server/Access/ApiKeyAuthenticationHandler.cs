using System.Security.Claims;
using System.Text.Encodings.Web;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// <c>Authorization: Bearer mpk_…</c>: the key's grain checks the text (revoked and expired keys
/// fail at once, on every silo). The principal has its owner's role and tenant, and its scopes.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";

    /// <summary>Whether the request names a bearer credential (a key, or something trying to pass for one).</summary>
    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization is [{ } value] && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers.Authorization is not [{ } header] || !header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var text = header[BearerPrefix.Length..].Trim();
        if (!ApiKeyText.TryParse(text, out var keyId))
        {
            return AuthenticateResult.Fail("The bearer credential is not an API key.");
        }

        var key = await grains.GetGrain<IApiKeyGrain>(keyId).AuthenticateAsync(text);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is unknown, revoked or expired.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.KeyId),
            new(ClaimTypes.Name, key.Name),
            new(PortalClaims.KeyId, key.KeyId),
        };
        if (key.Owner.TenantId is { } tenantId)
        {
            claims.Add(new(ClaimTypes.Role, PortalClaims.TenantRole));
            claims.Add(new(PortalClaims.TenantId, tenantId));
        }
        else
        {
            claims.Add(new(ClaimTypes.Role, PortalClaims.OperatorRole));
        }

        claims.AddRange(key.Scopes.Select(scope => new Claim(PortalClaims.Scope, scope.ToString())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
