using Bunit;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace MaintenancePortal.Web.Tests;

public sealed class TenantMigrationsTests : PortalTestContext
{
    public TenantMigrationsTests()
    {
        SignInAsTenant("contoso", "Contoso");
    }

    [Fact]
    public void Render_GroupsMovesByMaintenanceEventWithProgressReceiptsAndEveryCountCancelledIncluded()
    {
        Portal.Moves["contoso"] =
        [
            Moves.Scheduled("contoso", "i-aaa", "web-01"),
            Moves.Migrating("contoso", "i-bbb", "db-01"),
            Moves.Completed("contoso", "i-ccc", "cache-01"),
            Moves.Cancelled("contoso", "i-ddd", "batch-01") with { MaintenanceId = "mnt-2" },
        ];

        var cut = Render<TenantMigrations>();

        var groups = cut.FindAll("[data-testid=maintenance-group]");
        Assert.Equal(["mnt-1", "mnt-2"], groups.Select(g => g.GetAttribute("data-maintenance")).Order());
        var first = groups.Single(g => g.GetAttribute("data-maintenance") == "mnt-1");
        Assert.Contains("Firmware update", first.TextContent);
        Assert.Contains("1 of 3 finished", first.TextContent.ReplaceLineEndings(" "));
        Assert.Contains("98% copied", cut.Find("[data-testid=move-progress]").TextContent);
        Assert.Contains("paused 42.5 ms · ID and IP kept", cut.Find("[data-testid=move-receipt]").TextContent);
        Assert.Contains("Completed: 1", cut.Find("[data-testid=count-completed]").TextContent);
        Assert.Contains("Cancelled: 1", cut.Find("[data-testid=count-cancelled]").TextContent);
        Assert.Equal("migrations/mv-i-aaa", cut.FindAll("[data-testid=move-row][data-instance=i-aaa] a")[0].GetAttribute("href"));
    }

    [Fact]
    public void Render_ShowsTimesInTheTenantsZone()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Portal.Preferences["contoso"] = TenantPreferences.None with { TimeZone = "Asia/Tokyo" };

        var cut = Render<TenantMigrations>();

        // Not before 12:15 UTC is 21:15 in Tokyo.
        Assert.Contains("starts 2026-11-25 21:15 JST", cut.Find("[data-testid=move-row]").TextContent);
    }

    [Fact]
    public void Render_WithADisabledWebhookEndpointAndAMessageGivenUpOn_TellsTheTenant()
    {
        var givenUp = MaintenancePortal.Domain.Webhooks.EndpointDeliveries.Empty
            .Notify(Moves.Now.AddDays(-1), MaintenancePortal.Domain.Webhooks.WebhookNoticeKind.MessageExhausted, "Gave up on msg_1.");
        var (endpoint, deliveries) = Webhooks.Add("contoso", "https://hooks.contoso.example/a", givenUp);
        Webhooks.Endpoints[("contoso", endpoint.EndpointId)] = (endpoint.Disable("The receiver answered 410 Gone."), deliveries);

        var cut = Render<TenantMigrations>();

        Assert.Equal("1 of your webhook endpoints is disabled, and 1 message was given up on this week. See your webhooks",
            cut.Find("[data-testid=webhook-trouble]").TextContent.Trim());
    }

    [Fact]
    public void Render_WithHealthyWebhooks_SaysNothingAboutThem()
    {
        Webhooks.Add("contoso", "https://hooks.contoso.example/a");

        var cut = Render<TenantMigrations>();

        Assert.Empty(cut.FindAll("[data-testid=webhook-trouble]"));
    }

    [Fact]
    public void Render_ReadsOnlyTheSignedInTenantsMoves()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Portal.Moves["fabrikam"] = [Moves.Scheduled("fabrikam", "i-fff", "secret-01")];

        var cut = Render<TenantMigrations>();

        Assert.Equal(["contoso"], Portal.Reads.Distinct());
        Assert.DoesNotContain("secret-01", cut.Markup);
        Assert.DoesNotContain("i-fff", cut.Markup);
    }

    [Fact]
    public void Notify_ForTheTenant_UpdatesThePageLive()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        var cut = Render<TenantMigrations>();
        Assert.Equal("Scheduled", cut.Find("[data-testid=move-row]").GetAttribute("data-state"));

        Portal.Moves["contoso"] = [Moves.Completed("contoso", "i-aaa", "web-01")];
        Updates.Notify("contoso");

        cut.WaitForAssertion(() => Assert.Equal("Completed", cut.Find("[data-testid=move-row]").GetAttribute("data-state")));
    }

    [Fact]
    public void Notify_ForAnotherTenant_DoesNotReload()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Render<TenantMigrations>();
        var reads = Portal.Reads.Count;

        Updates.Notify("fabrikam");

        Assert.Equal(reads, Portal.Reads.Count);
    }

    [Fact]
    public void Render_WithNoMoves_SaysNothingIsScheduled()
    {
        var cut = Render<TenantMigrations>();

        Assert.Contains("No maintenance is scheduled", cut.Find("[data-testid=no-moves]").TextContent);
    }

    [Fact]
    public void StartNow_ApprovesTheMoveSoItStartsNow()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Portal.Now = Moves.Now.AddMinutes(3);
        var cut = Render<TenantMigrations>();

        cut.Find("[data-testid=start-now]").Click();

        cut.WaitForAssertion(() => Assert.Equal(Moves.Now.AddMinutes(3), Portal.Moves["contoso"][0].NotBefore));
    }

    [Fact]
    public void StartNow_OfAMoveThatFinishedMeanwhile_SaysStartNowWasRefusedAndWhy()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        var cut = Render<TenantMigrations>();
        Portal.Moves["contoso"] = [Moves.Completed("contoso", "i-aaa", "web-01")];

        cut.Find("[data-testid=start-now]").Click();

        var snackbar = Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message?.StartsWith("Start now was refused:", StringComparison.Ordinal) == true
                                                                                  && s.Message.Contains("Completed", StringComparison.Ordinal)));
    }

    [Fact]
    public void Pages_FollowEachOtherAndBack_AndAFilterStartsAgainAtTheFirst()
    {
        Portal.Moves["contoso"] = [.. Enumerable.Range(0, 120).Select(i =>
            Moves.Completed("contoso", $"i-{i:D3}", $"web-{i:D3}") with { MoveId = $"mv-{i:D3}", ScheduledAt = Moves.Now.AddMinutes(-i) })];
        var cut = Render<TenantMigrations>();
        Assert.Equal(MoveQuery.DefaultLimit, cut.FindAll("[data-testid=move-row]").Count);
        Assert.Equal("i-000", cut.FindAll("[data-testid=move-row]")[0].GetAttribute("data-instance"));

        cut.Find("[data-testid=page-next]").Click();
        cut.Find("[data-testid=page-next]").Click();

        Assert.Equal(20, cut.FindAll("[data-testid=move-row]").Count);
        Assert.Equal("i-100", cut.FindAll("[data-testid=move-row]")[0].GetAttribute("data-instance"));
        Assert.Equal("Page 3", cut.Find("[data-testid=page-number]").TextContent);
        Assert.True(cut.Find("[data-testid=page-next]").HasAttribute("disabled"));

        cut.Find("[data-testid=page-previous]").Click();
        Assert.Equal("i-050", cut.FindAll("[data-testid=move-row]")[0].GetAttribute("data-instance"));

        cut.Find("#filter-search").Input("WEB-11");
        ((FakeTimeProvider)Services.GetRequiredService<TimeProvider>()).Advance(TimeSpan.FromSeconds(1)); // past the typing pause
        cut.WaitForAssertion(() => Assert.Equal(10, cut.FindAll("[data-testid=move-row]").Count));
        Assert.Equal("Page 1", cut.Find("[data-testid=page-number]").TextContent);
        Assert.Contains("q=WEB-11", cut.Find("[data-testid=export-csv]").GetAttribute("href"));
        Assert.Equal("migrations.csv", cut.Find("[data-testid=export-csv]").GetAttribute("download")); // a download, not a page to route to
    }

    [Fact]
    public void Filters_ByDayInTheTenantsZone_ShowOnlyWhatMatches_AndARangeBackwardsIsRefused()
    {
        Portal.Moves["contoso"] =
        [
            Moves.Scheduled("contoso", "i-aaa", "web-01"),
            Moves.Completed("contoso", "i-bbb", "web-02") with { MoveId = "mv-old", ScheduledAt = Moves.Now.AddDays(-3) },
            Moves.Cancelled("contoso", "i-ccc", "web-03"),
        ];
        var cut = Render<TenantMigrations>();

        cut.Find("[data-testid=filter-from]").Change("2026-11-25");

        Assert.Equal(["i-aaa", "i-ccc"], cut.FindAll("[data-testid=move-row]").Select(r => r.GetAttribute("data-instance")!).Order());

        cut.Find("[data-testid=filter-from]").Change("");
        cut.Find("[data-testid=filter-to]").Change("2026-11-23");
        Assert.Equal(["i-bbb"], cut.FindAll("[data-testid=move-row]").Select(r => r.GetAttribute("data-instance")));

        cut.Find("[data-testid=filter-from]").Change("2026-11-24");
        Assert.Contains("start of the range is after its end", cut.Find("[data-testid=filter-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=move-row]"));

        cut.Find("[data-testid=filter-to]").Change("2026-11-24");
        Assert.Contains("No move matches", cut.Find("[data-testid=no-matches]").TextContent);
    }

    [Fact]
    public void The_calendar_address_is_shown_and_a_new_one_is_given_only_when_confirmed()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<TenantMigrations>();
        Assert.Equal("http://localhost/calendar/calendar-contoso.ics", cut.Find("[data-testid=calendar-address]").TextContent);

        cut.Find("[data-testid=calendar-rotate]").Click();
        dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Keep this one").Click();
        Assert.Equal("calendar-contoso", Portal.CalendarTokens["contoso"]);

        cut.Find("[data-testid=calendar-rotate]").Click();
        dialogs.FindAll("button").First(b => b.TextContent.Trim() == "New address").Click();
        cut.WaitForAssertion(() => Assert.Equal("http://localhost/calendar/calendar-contoso-2.ics", cut.Find("[data-testid=calendar-address]").TextContent));
    }
}
