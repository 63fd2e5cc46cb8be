using System.Security.Claims;
using MaintenancePortal.Server.Extensions;
using MaintenancePortal.Web.Security;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// How people sign in (<c>Authentication</c>): OpenID Connect (<c>Authentication:OpenIdConnect</c>),
/// and the development picker (<c>Authentication:DevelopmentSignIn</c>; embedded profile only, on by
/// default there unless OpenID Connect is configured). Read and checked once at start-up; a wrong
/// setting stops the server, naming it.
/// </summary>
public sealed class SignInSettings
{
    public const string SectionName = "Authentication";
    public const string DevelopmentSignInSetting = "Authentication:DevelopmentSignIn";
    public const string AuthoritySetting = "Authentication:OpenIdConnect:Authority";

    /// <summary>The development picker; null: on in the embedded profile unless OpenID Connect is configured.</summary>
    public bool? DevelopmentSignIn { get; set; }

    /// <summary>How long a session lasts without use (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    public OpenIdConnectSettings OpenIdConnect { get; set; } = new();

    /// <summary>Proxies whose X-Forwarded-For and X-Forwarded-Proto are believed (addresses); none by default.</summary>
    public List<string> KnownProxies { get; set; } = [];

    public bool UsesOpenIdConnect => !string.IsNullOrWhiteSpace(OpenIdConnect.Authority);

    public bool UsesPicker => DevelopmentSignIn ?? !UsesOpenIdConnect;

    /// <summary>The settings, checked against the profile.</summary>
    public static SignInSettings Read(IConfiguration configuration, bool durable)
    {
        var settings = configuration.GetSection(SectionName).Get<SignInSettings>() ?? new SignInSettings();
        if (durable && settings.DevelopmentSignIn == true)
        {
            throw new PortalConfigurationException(
                $"{DevelopmentSignInSetting} is on: the development sign-in lets anyone choose any tenant; the durable profile refuses it.");
        }

        if (durable && !settings.UsesOpenIdConnect)
        {
            throw new PortalConfigurationException(
                $"The durable profile needs OpenID Connect: set {AuthoritySetting} (and ClientId, ClientSecret, the claim mapping).");
        }

        if (settings.UsesOpenIdConnect)
        {
            settings.OpenIdConnect.Check();
        }

        if (settings.SessionLifetime <= TimeSpan.Zero)
        {
            throw new PortalConfigurationException("Authentication:SessionLifetime must be positive.");
        }

        foreach (var proxy in settings.KnownProxies)
        {
            if (!System.Net.IPAddress.TryParse(proxy, out _))
            {
                throw new PortalConfigurationException($"Authentication:KnownProxies: '{proxy}' is not an IP address.");
            }
        }

        return settings;
    }
}

/// <summary>
/// The OpenID provider and how its claims make roles: <see cref="OperatorClaim"/> with one of
/// <see cref="OperatorValues"/> makes an operator; <see cref="TenantClaim"/> with a value listed in
/// <see cref="Tenants"/> makes a user of that tenant. Anyone else signs in with no access.
/// </summary>
public sealed class OpenIdConnectSettings
{
    private const string Section = "Authentication:OpenIdConnect";

    public string? Authority { get; set; }

    public string? ClientId { get; set; }

    /// <summary>From configuration: on Azure a Key Vault reference read through the server's managed identity.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for; none given: openid and profile.</summary>
    public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> EffectiveScopes => Scopes.Count == 0 ? ["openid", "profile"] : Scopes;

    /// <summary>The claim that names an operator: a role or group claim (Entra: <c>roles</c> or <c>groups</c>).</summary>
    public string OperatorClaim { get; set; } = "roles";

    public List<string> OperatorValues { get; set; } = [];

    /// <summary>The claim that names the user's tenant (<c>tenant_id</c>, Entra's <c>tid</c>, or <c>groups</c>).</summary>
    public string TenantClaim { get; set; } = "tenant_id";

    /// <summary>Claim values to the provider's tenants: <c>{"contoso-corp": "contoso"}</c>.</summary>
    public Dictionary<string, string> Tenants { get; set; } = [];

    public void Check()
    {
        if (!Uri.TryCreate(Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
            || (authority.Scheme == "http" && !authority.IsLoopback))
        {
            throw new PortalConfigurationException($"{Section}:Authority must be an https:// URL (http:// only on loopback); it is '{Authority}'.");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new PortalConfigurationException($"{Section}:ClientId is not set.");
        }

        if (!EffectiveScopes.Contains("openid"))
        {
            throw new PortalConfigurationException($"{Section}:Scopes must include openid.");
        }

        if (string.IsNullOrWhiteSpace(OperatorClaim) || string.IsNullOrWhiteSpace(TenantClaim))
        {
            throw new PortalConfigurationException($"{Section}:OperatorClaim and {Section}:TenantClaim must name claims.");
        }

        if (Tenants.FirstOrDefault(t => string.IsNullOrWhiteSpace(t.Value)) is { Key: { } empty })
        {
            throw new PortalConfigurationException($"{Section}:Tenants:{empty} names no tenant.");
        }
    }

    public bool RequiresHttpsMetadata => !new Uri(Authority!).IsLoopback;

    /// <summary>
    /// The portal's identity for what the provider says: the subject, a name, and the operator role
    /// or a tenant when the mapping gives one; nothing else is kept. Null role and tenant: no access.
    /// </summary>
    public ClaimsPrincipal Map(ClaimsPrincipal provider)
    {
        var subject = provider.FindFirstValue("sub") ?? provider.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var name = new[] { "name", "preferred_username", "email" }.Select(provider.FindFirstValue).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))
                   ?? subject;
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, subject), new(ClaimTypes.Name, name) };
        if (provider.FindAll(OperatorClaim).Any(c => OperatorValues.Contains(c.Value, StringComparer.Ordinal)))
        {
            claims.Add(new(ClaimTypes.Role, PortalClaims.OperatorRole));
        }
        else if (provider.FindAll(TenantClaim).Select(c => Tenants.GetValueOrDefault(c.Value)).OfType<string>().Distinct().ToList() is [var tenantId])
        {
            // Exactly one tenant: a user the mapping puts in two gets neither rather than a guess.
            claims.Add(new(ClaimTypes.Role, PortalClaims.TenantRole));
            claims.Add(new(PortalClaims.TenantId, tenantId));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role));
    }
}
