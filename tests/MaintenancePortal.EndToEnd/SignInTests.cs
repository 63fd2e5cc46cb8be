using System.Net;
using MaintenancePortal.Tests.Shared;
using Microsoft.Playwright;

namespace MaintenancePortal.EndToEnd;

/// <summary>
/// A person signs in through the real OpenID provider's own login form in Chromium, makes an API key
/// in the portal, a program uses it, the person revokes it, and the audit trail shows who did each.
/// </summary>
public sealed class SignInTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tenant_signs_in_at_the_provider_makes_and_revokes_a_key_and_the_operator_reads_who_did_it()
    {
        await using var server = await PortalServer.StartAsync(Ct, LocalOpenIdProvider.ServerSettings());
        var tenant = await SignInAsync(server, "tenant-contoso");
        try
        {
            await tenant.WaitForSelectorAsync("[data-testid=tenant-migrations][data-interactive=true]");
            await tenant.ClickAsync("a:has-text('API keys')");
            await tenant.WaitForSelectorAsync("[data-testid=api-keys][data-interactive=true]");
            await tenant.FillAsync("#key-name", "nightly report");
            await tenant.ClickAsync("[data-testid=create-key]");
            var text = (await tenant.Locator("[data-testid=created-key-text]").TextContentAsync())!.Trim();
            Assert.StartsWith("mpk_", text, StringComparison.Ordinal);
            var keyId = text.Split('_')[1];

            // A program uses the key as the tenant.
            using var program = new PortalHttpClient(server.BaseAddress, text);
            Assert.Equal(HttpStatusCode.OK, (await program.GetAsync("api/tenant/migrations", Ct)).StatusCode);

            await tenant.ClickAsync($"tr:has([data-key='{keyId}']) [data-testid=revoke-key]");
            await tenant.ClickAsync(".mud-dialog button:has-text('Revoke')");
            await tenant.WaitForSelectorAsync($"[data-testid=key-row][data-key='{keyId}'][data-status=Revoked]");
            Assert.Equal(HttpStatusCode.Unauthorized, (await program.GetAsync("api/tenant/migrations", Ct)).StatusCode);
            await tenant.ScreenshotAsync(new PageScreenshotOptions { Path = PortalTests.Screenshot("api-keys"), FullPage = true });

            // The tenant's own trail: the person, not the system, made and revoked the key in the portal.
            await tenant.ClickAsync("a:has-text('Audit')");
            await tenant.WaitForSelectorAsync("[data-testid=audit-trail][data-interactive=true]");
            await tenant.WaitForSelectorAsync("[data-testid=audit-row][data-action='key.create'][data-actor=tenant-contoso]");
            await tenant.WaitForSelectorAsync("[data-testid=audit-row][data-action='key.revoke'][data-actor=tenant-contoso]");
            await tenant.WaitForSelectorAsync("[data-testid=audit-row][data-action='account.signin'][data-actor=tenant-contoso]");
        }
        finally
        {
            await tenant.Context.CloseAsync();
        }

        var operatorPage = await SignInAsync(server, "operator");
        try
        {
            await operatorPage.WaitForSelectorAsync("[data-testid=operator-console][data-interactive=true]");
            await operatorPage.ClickAsync("a:has-text('Audit')");
            await operatorPage.WaitForSelectorAsync("[data-testid=audit-trail][data-interactive=true]");
            await operatorPage.FillAsync("#audit-tenant", "contoso");
            await operatorPage.ClickAsync("[data-testid=audit-search]");
            await operatorPage.WaitForSelectorAsync("[data-testid=audit-row][data-action='key.revoke'][data-actor=tenant-contoso]");
            await operatorPage.ScreenshotAsync(new PageScreenshotOptions { Path = PortalTests.Screenshot("audit"), FullPage = true });
        }
        finally
        {
            await operatorPage.Context.CloseAsync();
        }
    }

    /// <summary>A new browser context at the portal, signed in through the provider's login and consent forms.</summary>
    private async Task<IPage> SignInAsync(PortalServer server, string login)
    {
        var context = await portal.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
        });
        context.SetDefaultTimeout(30_000);
        // Only loopback: the provider's pages ask for web fonts elsewhere, which nothing here may fetch.
        await context.RouteAsync(url => !new Uri(url).IsLoopback, route => route.AbortAsync());
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.FillAsync("input[name=login]", login);
        await page.FillAsync("input[name=password]", "any password");
        await page.ClickAsync("button:has-text('Sign-in')");
        await page.ClickAsync("button:has-text('Continue')");
        await page.WaitForURLAsync(url => url.StartsWith(server.BaseAddress.ToString(), StringComparison.Ordinal) && !url.Contains("signin", StringComparison.Ordinal));
        return page;
    }
}
