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
/// fail at once, on every silo). The principal has its owner's role and tenant, and its scopes. An
/// address that has had too many keys refused is answered 429 before anything is looked up.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IGrainFactory grains,
    RefusedKeyLimiter refusals)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string BearerPrefix = "Bearer ";
    private const string TooManyRefusals = "MaintenancePortal.TooManyRefusedKeys";

    /// <summary>Whether the request names a bearer credential (a key, or something trying to pass for one).</summary>
    public static bool HasBearer(HttpRequest request) =>
        request.Headers.Authorization is [{ } value] && value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!HasBearer(Request))
        {
            return AuthenticateResult.NoResult();
        }

        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "";
        if (refusals.IsBlocked(address))
        {
            Context.Items[TooManyRefusals] = true;
            return AuthenticateResult.Fail("Too many refused keys from this address.");
        }

        var text = Request.Headers.Authorization.ToString()[BearerPrefix.Length..].Trim();
        var key = ApiKeyText.TryParse(text, out var keyId) ? await grains.GetGrain<IApiKeyGrain>(keyId).AuthenticateAsync(text) : null;
        if (key is null)
        {
            refusals.Refused(address);
            return AuthenticateResult.Fail("The bearer credential is not an API key that can be used: unknown, revoked, expired or malformed.");
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
        if (Context.Items.ContainsKey(TooManyRefusals))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = "1";
            return Task.CompletedTask;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
