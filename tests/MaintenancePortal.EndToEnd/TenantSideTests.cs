using System.Globalization;
using System.Text.Json;
using MaintenancePortal.Tests.Shared;
using Microsoft.Playwright;
using static MaintenancePortal.EndToEnd.PortalTests;

namespace MaintenancePortal.EndToEnd;

/// <summary>
/// The tenant's side driven as people drive it: preferences picked and typed, filters and pages,
/// a move's page with its timeline and charts, reschedule typed into the browser's own picker
/// and approve, at a desktop width and a phone's.
/// </summary>
public sealed class TenantSideTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string Tenant = "northwind";
    /// <summary>Two of the tenant's hosts: more moves than a page of 10 holds, so paging is exercised.</summary>
    private static readonly string[] Hosts = ["h-northwind-02", "h-northwind-04"];
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    private async Task RunAsync(int width, Func<IPage, Task> test)
    {
        var page = await portal.NewPageAsync(width, 900);
        try
        {
            await test(page);
        }
        catch (Exception ex)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot($"tenant-side-failure-{width}"), FullPage = true });
            throw new InvalidOperationException($"{ex.Message}\n--- server output ---\n{portal.Server.Output}", ex);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Nothing sticks out sideways: the page needs no horizontal scroll.</summary>
    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1"),
            $"{page.Url} scrolls sideways at {page.ViewportSize?.Width} px.");

    private static async Task<JsonElement> GetAsync(IPage page, string path)
    {
        var response = await page.APIRequest.GetAsync(path);
        Assert.Equal(200, response.Status);
        return (await response.JsonAsync())!.Value;
    }

    [Fact]
    public Task A_tenant_adds_an_address_for_notices_by_typing_it_and_picking_what_and_when_at_a_phones_width() =>
        RunAsync(390, async page =>
    {
        await SignInAsync(page, "tenant:contoso");
        await page.GotoAsync("notices");
        await page.WaitForSelectorAsync("[data-testid=tenant-notices][data-interactive=true]");
        // This server has no relay: the page says notices are only logged.
        await Assertions.Expect(page.Locator("[data-testid=notices-not-sent]")).ToBeVisibleAsync();

        await page.Locator("#contact-address").PressSequentiallyAsync("ops@contoso.example", new() { Delay = 60 });
        var zone = page.Locator("#contact-zone");
        await zone.ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await zone.PressSequentiallyAsync("Asia/Tokyo", new() { Delay = 60 });
        await page.Locator("[data-testid=kind-SlaAtRisk]").UncheckAsync();
        await page.Locator("[data-testid=kind-Completed]").CheckAsync();
        await page.Locator("[data-testid=cadence-digest]").CheckAsync();
        await page.SelectOptionAsync("#contact-hour", "7");
        await page.ClickAsync("[data-testid=save-contact]");

        var contact = page.Locator("[data-testid=contact][data-address='ops@contoso.example']");
        await Assertions.Expect(contact).ToHaveAttributeAsync("data-state", "Unconfirmed");
        await Assertions.Expect(contact).ToContainTextAsync("daily at 07:00");
        await Assertions.Expect(contact).ToContainTextAsync("Asia/Tokyo");
        var listed = (await GetAsync(page, "api/tenant/notices/contacts"))[0];
        Assert.Equal(["Scheduled", "RebootFallback", "Completed"], listed.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(("Digest", 7), (listed.GetProperty("cadence").GetString(), listed.GetProperty("digestHour").GetInt32()));
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-notices-390"), FullPage = true });

        // A refused address says why, and adds nothing.
        await page.Locator("#contact-address").FillAsync("");
        await page.Locator("#contact-address").PressSequentiallyAsync("not an address", new() { Delay = 60 });
        await page.ClickAsync("[data-testid=save-contact]");
        await Assertions.Expect(page.Locator("[data-testid=contact-error]")).ToContainTextAsync("plain e-mail address");
        Assert.Equal(1, (await GetAsync(page, "api/tenant/notices/contacts")).GetArrayLength());
    });

    [Fact]
    public Task A_tenant_sets_preferences_filters_and_pages_its_moves_reschedules_by_typing_approves_and_reads_the_move_at_a_phones_width() =>
        RunAsync(390, async page =>
    {
        await SignInAsync(page, $"tenant:{Tenant}");
        await page.GotoAsync("preferences");
        await page.WaitForSelectorAsync("[data-testid=tenant-preferences][data-interactive=true]");

        // Preferences: a default picked, a zone found by typing part of its name, a window typed in.
        await page.GetByText("Ask me first").ClickAsync();
        // Typed at a person's pace over what the field holds, on a busy server too: nothing typed is lost. The browser
        // suggests the zones of its list (its own pop-up, out of a test's reach); the person types the name out.
        var zone = page.Locator("#time-zone");
        await zone.ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await zone.PressSequentiallyAsync("Europe/Berlin", new() { Delay = 120 });
        await Assertions.Expect(zone).ToHaveValueAsync("Europe/Berlin");
        Assert.Equal(1, await page.Locator("#time-zones option[value='Europe/Berlin']").CountAsync());
        await page.Keyboard.PressAsync("Tab");
        await page.ClickAsync("[data-testid=window-add]");
        await page.SelectOptionAsync("[data-testid=window-day]", "Sunday");
        // Typed at a person's pace: the page answers each complete time while the next key comes, and must not rewrite it.
        await page.Locator("[data-testid=window-start]").PressSequentiallyAsync("0130AM", new() { Delay = 120 });
        await page.Locator("[data-testid=window-hours]").FillAsync("3");
        await page.ClickAsync("[data-testid=preferences-save]");
        await Assertions.Expect(page.Locator("[data-testid=preferences-outcome]")).ToContainTextAsync("Saved");
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-preferences-390"), FullPage = true });
        var preferences = await GetAsync(page, "api/tenant/preferences");
        Assert.Equal("AskFirst", preferences.GetProperty("default").GetString());
        Assert.Equal("Europe/Berlin", preferences.GetProperty("timeZone").GetString());
        var window = preferences.GetProperty("windows")[0];
        Assert.Equal(("Sunday", "01:30:00", "03:00:00"),
            (window.GetProperty("day").GetString(), window.GetProperty("start").GetString(), window.GetProperty("length").GetString()));

        // An operator starts maintenance on one of the tenant's hosts: with "ask me first" every move waits.
        var operatorPage = await portal.NewPageAsync();
        await SignInAsync(operatorPage, "operator");
        var fleet = await GetAsync(operatorPage, "api/operator/hosts");
        var instances = fleet.EnumerateArray().Where(h => Hosts.Contains(h.GetProperty("hostId").GetString()))
            .Sum(h => h.GetProperty("placed").EnumerateObject().Count());
        var maintenanceIds = new List<string>();
        foreach (var host in Hosts)
        {
            var started = await operatorPage.APIRequest.PostAsync($"api/operator/hosts/{host}/maintenance",
                new() { DataObject = new { reason = "FirmwareUpdate" } });
            Assert.Equal(202, started.Status);
            maintenanceIds.Add((await started.JsonAsync())!.Value.GetProperty("maintenanceId").GetString()!);
        }

        var maintenanceId = maintenanceIds[0];
        await operatorPage.Context.CloseAsync();
        // Every move is listed before the pages are compared (on a busy server the second host's moves arrive later and would shift them).
        await Eventually.HoldsAsync(async () =>
                (await GetAsync(page, "api/tenant/migrations?state=Scheduled&limit=1")).GetProperty("counts").GetProperty("scheduled").GetInt32() >= instances,
            TimeSpan.FromSeconds(60), () => $"Not all {instances} moves of the two hosts were listed in 60 s.");

        // The list: the event's group, a state picked from the filter, one instance found by typing its name, pages of 10.
        await page.GotoAsync("migrations");
        await page.WaitForSelectorAsync("[data-testid=tenant-migrations][data-interactive=true]");
        var group = page.Locator($"[data-testid=maintenance-group][data-maintenance='{maintenanceId}']");
        await Assertions.Expect(group).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await page.ClickAsync("[data-testid=filter-state]");
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Scheduled" }).ClickAsync();
        var rows = page.Locator("[data-testid=move-row]");
        await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-state", "Scheduled");
        Assert.All(await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.state)"), s => Assert.Equal("Scheduled", s));
        await Assertions.Expect(page.Locator($"[data-testid=maintenance-group][data-maintenance='{maintenanceIds[1]}']"))
            .ToBeVisibleAsync(new() { Timeout = 60_000 });

        await page.SelectOptionAsync("[data-testid=page-size]", "10");
        await Assertions.Expect(rows).ToHaveCountAsync(10);
        var firstPage = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.move)");
        await page.ClickAsync("[data-testid=page-next]");
        await Assertions.Expect(page.Locator("[data-testid=page-number]")).ToHaveTextAsync("Page 2");
        var secondPage = await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.move)");
        Assert.NotEmpty(secondPage);
        Assert.Empty(firstPage.Intersect(secondPage));
        await page.ClickAsync("[data-testid=page-previous]");
        await Assertions.Expect(page.Locator("[data-testid=page-number]")).ToHaveTextAsync("Page 1");
        Assert.Equal(firstPage, await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.move)"));

        var name = (await rows.First.Locator("[data-testid=move-link]").TextContentAsync())!.Trim();
        await page.Locator("#filter-search").PressSequentiallyAsync(name, new() { Delay = 120 });
        await Assertions.Expect(page.Locator("#filter-search")).ToHaveValueAsync(name);
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-migrations-390"), FullPage = true });
        await page.SetViewportSizeAsync(1400, 900);
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-migrations-1400"), FullPage = true });
        await page.SetViewportSizeAsync(390, 900);

        // The move's page: a new start typed into the browser's own date-time picker, in Berlin time.
        await rows.First.Locator("[data-testid=move-link]").ClickAsync();
        await page.WaitForSelectorAsync("[data-testid=tenant-move][data-interactive=true]");
        var moveId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var target = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(2), Berlin);
        target = new DateTimeOffset(target.Year, target.Month, target.Day, target.Hour, target.Minute, 0, target.Offset);
        var picker = page.Locator("[data-testid=reschedule-at]");
        await picker.FocusAsync(); // on its first part: the month (en-US)
        await page.Keyboard.TypeAsync(target.ToString("MMddyyyyhhmmtt", CultureInfo.InvariantCulture), new() { Delay = 120 });
        Assert.Equal(target.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), await picker.InputValueAsync());
        await page.ClickAsync("[data-testid=reschedule]");
        await Assertions.Expect(page.Locator("[data-testid=action-outcome]")).ToContainTextAsync("Rescheduled: it starts at");
        var move = await GetAsync(page, $"api/tenant/migrations/{moveId}");
        Assert.Equal(target.ToUniversalTime(), move.GetProperty("notBefore").GetDateTimeOffset());

        // Chosen past the latest start: refused, saying which action and why; nothing changes.
        var latest = TimeZoneInfo.ConvertTime(move.GetProperty("latestStart").GetDateTimeOffset().AddHours(1), Berlin);
        await picker.FillAsync(latest.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=reschedule]");
        await Assertions.Expect(page.Locator("[data-testid=action-outcome]")).ToContainTextAsync("Reschedule was refused");
        await Assertions.Expect(page.Locator("[data-testid=action-outcome]")).ToContainTextAsync("too late");
        Assert.Equal(target.ToUniversalTime(), (await GetAsync(page, $"api/tenant/migrations/{moveId}")).GetProperty("notBefore").GetDateTimeOffset());

        // Approved: it runs now, and its page fills in: the timeline, the rounds, the receipt.
        await page.ClickAsync("[data-testid=start-now]");
        await Assertions.Expect(page.Locator("[data-testid=tenant-move]")).ToHaveAttributeAsync("data-state", "Completed", new() { Timeout = 120_000 });
        var steps = await page.Locator("[data-testid=timeline-entry]").EvaluateAllAsync<string[]>("e => e.map(x => x.dataset.step)");
        Assert.Equal(["Scheduled", "Rescheduled", "Approved", "Started"], steps.Where(s => s != "Round").Take(4));
        Assert.Equal("Completed", steps[^1]);
        var live = move.GetProperty("action").GetString() == "LiveMigration";
        if (live)
        {
            await Assertions.Expect(page.Locator("[data-testid=bytes-chart] svg")).ToBeVisibleAsync();
            Assert.Contains("Round", steps);
        }

        await Assertions.Expect(page.Locator("[data-testid=move-receipt]")).ToContainTextAsync("ID kept");
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-move-390"), FullPage = true });
        await page.SetViewportSizeAsync(1400, 900);
        await AssertNoSidewaysScrollAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-move-1400"), FullPage = true });

        // The bar of pages is a menu at a phone's width.
        await page.SetViewportSizeAsync(390, 900);
        await page.ClickAsync("[data-testid=nav-menu] button");
        await page.Locator(".mud-popover-open a", new() { HasText = "Preferences" }).ClickAsync();
        await page.WaitForURLAsync(url => url.EndsWith("/preferences", StringComparison.Ordinal));
    });
}
