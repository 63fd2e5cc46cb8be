using MaintenancePortal.Tests.Shared;
using Microsoft.Playwright;

namespace MaintenancePortal.EndToEnd;

/// <summary>One server process and one headless Debian Chromium shared by the end-to-end tests.</summary>
public sealed class PortalFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;

    internal PortalServer Server { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Server = await PortalServer.StartAsync(TestContext.Current.CancellationToken);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // The system's Chromium: no browser is downloaded.
            ExecutablePath = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
                "--no-first-run", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>A page in a context of its own (its own cookies), as wide as asked, in US English.</summary>
    public async Task<IPage> NewPageAsync(int width = 1600, int height = 1000)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseAddress.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-US",
            // The tests' own API calls from the page's context use its session, as a program may; a
            // cookie write must then say it is the portal's own (the portal's pages act over the circuit).
            ExtraHTTPHeaders = new Dictionary<string, string> { ["X-Requested-With"] = "MaintenancePortal.EndToEnd" },
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
