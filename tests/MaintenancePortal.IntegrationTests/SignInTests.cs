using System.Diagnostics;
using System.Net;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// People sign in through the real OpenID provider the test script starts (oidc-provider), by its
/// own login and consent forms; the portal maps their claims to a tenant or the operator role.
/// </summary>
public sealed class SignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task People_get_the_role_their_claims_map_to_and_nothing_more_and_every_sign_in_is_audited()
    {
        await using var server = await PortalServer.StartAsync(Ct, LocalOpenIdProvider.ServerSettings());
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync("tenant:contoso", Ct);
        using var nobody = new PortalHttpClient(server.BaseAddress);
        await nobody.SignInAsync("nobody", Ct);

        Assert.Equal(HttpStatusCode.OK, (await operatorClient.GetAsync("api/operator/hosts", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await operatorClient.GetAsync("api/tenant/migrations", Ct)).StatusCode);
        var moves = await tenant.GetJsonAsync("api/tenant/migrations", Ct);
        Assert.All(moves.GetProperty("moves").EnumerateArray(), m => Assert.StartsWith("h-contoso-", m.GetProperty("sourceHostId").GetString()));
        Assert.True(moves.GetProperty("counts").GetProperty("total").GetInt32() >= moves.GetProperty("moves").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await tenant.GetAsync("api/operator/hosts", Ct)).StatusCode);

        // Signed in, but the mapping gives no tenant and no role: no data anywhere, and a page that says so.
        foreach (var path in new[] { "api/tenant/migrations", "api/tenant/webhooks", "api/tenant/keys", "api/operator/hosts", "api/operator/audit" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync(path, Ct)).StatusCode);
        }

        var noAccess = await (await nobody.GetAsync("no-access", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("not linked to a tenant", noAccess, StringComparison.Ordinal);
        Assert.Contains("Nobody Mapped", noAccess, StringComparison.Ordinal);

        // The development picker is off: posting it signs nobody in.
        using var picker = new PortalHttpClient(server.BaseAddress);
        var signInPage = await (await picker.GetAsync("signin", Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"picker-off\"", signInPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Tenant: ", signInPage, StringComparison.Ordinal);

        // A session cookie changed by one character is no session at all.
        var cookie = tenant.Cookies.GetCookies(server.BaseAddress)["maintenance-portal"]!;
        using var tampered = new PortalHttpClient(server.BaseAddress);
        var value = cookie.Value.ToCharArray();
        value[value.Length / 2] = value[value.Length / 2] == 'A' ? 'B' : 'A';
        tampered.Cookies.Add(server.BaseAddress, new Cookie("maintenance-portal", new string(value)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await tampered.GetAsync("api/tenant/migrations", Ct)).StatusCode);

        var audit = (await operatorClient.GetJsonAsync("api/operator/audit?action=account.", Ct)).GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Actor: e.GetProperty("actorId").GetString(),
                Outcome: e.GetProperty("outcome").GetString(), Tenant: e.GetProperty("tenantId").GetString()))
            .ToList();
        Assert.Contains(("account.signin", "operator", "Succeeded", null), audit);
        Assert.Contains(("account.signin", "tenant-contoso", "Succeeded", "contoso"), audit);
        Assert.Contains(("account.signin.refused", "nobody", "Refused", null), audit);
    }

    [Fact]
    public async Task An_answer_from_another_issuer_and_an_expired_session_get_no_access()
    {
        var settings = LocalOpenIdProvider.ServerSettings();
        settings["Authentication__SessionLifetime"] = "00:00:04";
        await using var server = await PortalServer.StartAsync(Ct, settings);
        await using var otherProvider = await OtherProvider.StartAsync();

        // The portal sends the browser to its provider; the browser signs in at another one (same client
        // id and secret, another issuer) and brings that one's code back: refused, audited, and no session.
        using var browser = new PortalHttpClient(server.BaseAddress);
        using var start = await browser.GetAsync("account/signin", Ct);
        var authorize = new UriBuilder(start.Headers.Location!) { Port = otherProvider.Port }.Uri;
        var landed = await browser.SignInWithProviderAsync(authorize, "tenant-contoso", Ct);
        Assert.Equal("/no-access", landed.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("api/tenant/migrations", Ct)).StatusCode);

        // A session unused for longer than its lifetime has ended.
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync("tenant:contoso", Ct);
        Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync("api/tenant/migrations", Ct)).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(5), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tenant.GetAsync("api/tenant/migrations", Ct)).StatusCode);

        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        var refused = (await operatorClient.GetJsonAsync("api/operator/audit?action=account.signin.refused", Ct)).GetProperty("entries");
        Assert.Contains(refused.EnumerateArray(), e => e.GetProperty("target").GetString() == "openid-connect"
                                                       && e.GetProperty("outcome").GetString() == "Refused");
    }

    /// <summary>A second local provider (same client registration, its own issuer and keys) on a free port.</summary>
    private sealed class OtherProvider : IAsyncDisposable
    {
        private readonly Process _process;

        private OtherProvider(Process process, int port) => (_process, Port) = (process, port);

        public int Port { get; }

        public static async Task<OtherProvider> StartAsync()
        {
            var port = FreePort();
            var script = Path.Combine(Repository.Root(), ".tools", "oidc", "provider.mjs");
            var process = Process.Start(new ProcessStartInfo("node", [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                LocalOpenIdProvider.ClientSecret]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var provider = new OtherProvider(process, port);
            using var http = new HttpClient();
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    return (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/.well-known/openid-configuration"), Ct)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(20));
            return provider;
        }

        public async ValueTask DisposeAsync()
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }

        private static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
