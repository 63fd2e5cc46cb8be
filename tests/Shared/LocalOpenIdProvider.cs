namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// The local OpenID provider the test script starts (infra/oidc/provider.mjs, oidc-provider from npm)
/// on 127.0.0.1: its address and the portal client's secret come in MAINTENANCEPORTAL_OIDC_AUTHORITY
/// and MAINTENANCEPORTAL_OIDC_CLIENT_SECRET. Its people: <c>operator</c>, <c>tenant-{id}</c> (claim
/// <c>tenant_id</c> = <c>{id}-corp</c>) and <c>nobody</c> (no mapping).
/// </summary>
internal static class LocalOpenIdProvider
{
    /// <summary>The tenants the portal maps, by the provider's claim value.</summary>
    private static readonly string[] Tenants = ["contoso", "fabrikam", "northwind", "tailspin", "woodgrove", "litware"];

    public static Uri Authority => new(Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_OIDC_AUTHORITY")
                                       ?? throw new InvalidOperationException(
                                           "MAINTENANCEPORTAL_OIDC_AUTHORITY is not set: run the tests with ./test.sh, which starts the local OpenID provider."));

    public static string ClientSecret => Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_OIDC_CLIENT_SECRET") ?? "";

    /// <summary>The server's settings for signing in with the local provider (environment variable form).</summary>
    public static Dictionary<string, string> ServerSettings(Uri? authority = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["Authentication__OpenIdConnect__Authority"] = (authority ?? Authority).ToString().TrimEnd('/'),
            ["Authentication__OpenIdConnect__ClientId"] = "maintenance-portal",
            ["Authentication__OpenIdConnect__ClientSecret"] = ClientSecret,
            ["Authentication__OpenIdConnect__Scopes__0"] = "openid",
            ["Authentication__OpenIdConnect__Scopes__1"] = "profile",
            ["Authentication__OpenIdConnect__Scopes__2"] = "portal",
            ["Authentication__OpenIdConnect__OperatorClaim"] = "roles",
            ["Authentication__OpenIdConnect__OperatorValues__0"] = "portal-operator",
            ["Authentication__OpenIdConnect__TenantClaim"] = "tenant_id",
        };
        foreach (var tenant in Tenants)
        {
            settings[$"Authentication__OpenIdConnect__Tenants__{tenant}-corp"] = tenant;
        }

        return settings;
    }

    /// <summary>The provider's login name for a principal as the development picker names it: <c>tenant:contoso</c> is <c>tenant-contoso</c>.</summary>
    public static string LoginOf(string principal) => principal.StartsWith("tenant:", StringComparison.Ordinal) ? "tenant-" + principal[7..] : principal;
}
