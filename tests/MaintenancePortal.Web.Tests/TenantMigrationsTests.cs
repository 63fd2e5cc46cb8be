using Bunit;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Web.Components.Pages;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace MaintenancePortal.Web.Tests;

public sealed class TenantMigrationsTests : PortalTestContext
{
    public TenantMigrationsTests()
    {
        SignInAsTenant("contoso", "Contoso");
    }

    [Fact]
    public void Render_ShowsScheduledRunningAndCompletedMovesWithProgressAndReceipt()
    {
        Portal.Moves["contoso"] =
        [
            Moves.Scheduled("contoso", "i-aaa", "web-01"),
            Moves.Migrating("contoso", "i-bbb", "db-01"),
            Moves.Completed("contoso", "i-ccc", "cache-01"),
        ];

        var cut = Render<TenantMigrations>();

        var rows = cut.FindAll("[data-testid=move-row]");
        Assert.Equal(["Migrating", "Scheduled", "Completed"], rows.Select(r => r.GetAttribute("data-state")));
        Assert.Contains("round 2", cut.Find("[data-testid=move-progress]").TextContent);
        var receipt = cut.Find("[data-testid=move-receipt]").TextContent;
        Assert.Contains("42.5 ms", receipt);
        Assert.Contains("ID kept", receipt);
        Assert.Contains("IP kept", receipt);
        Assert.Contains("Completed: 1", cut.Find("[data-testid=count-completed]").TextContent);
    }

    [Fact]
    public void Render_WithADisabledWebhookEndpointAndAMessageGivenUpOn_TellsTheTenant()
    {
        var givenUp = MaintenancePortal.Domain.Webhooks.EndpointDeliveries.Empty
            .Notify(Moves.Now.AddDays(-1), MaintenancePortal.Domain.Webhooks.NoticeKind.MessageExhausted, "Gave up on msg_1.");
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
    public void Render_SaysWhenAMoveWasSlowedOrFinishedByPostCopy()
    {
        Portal.Moves["contoso"] = [Moves.Completed("contoso", "i-ddd", "db-02", MigrationMethod.PostCopy, 70)];

        var cut = Render<TenantMigrations>();

        var receipt = cut.Find("[data-testid=move-receipt]").TextContent;
        Assert.Contains("post-copy", receipt);
        Assert.Contains("slowed up to 70%", receipt);
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
    public void Reschedule_PastTheLatestStart_IsRefusedAndChangesNothing()
    {
        var move = Moves.Scheduled("contoso", "i-aaa", "web-01");
        Portal.Moves["contoso"] = [move];
        var cut = Render<TenantMigrations>();

        cut.Find("[data-testid=reschedule-at]").Change(move.LatestStart.AddHours(1).UtcDateTime.ToString("yyyy-MM-ddTHH:mm"));
        cut.Find("[data-testid=reschedule]").Click();

        var snackbar = Services.GetRequiredService<ISnackbar>();
        cut.WaitForAssertion(() => Assert.Contains(snackbar.ShownSnackbars, s => s.Message?.Contains("too late", StringComparison.Ordinal) == true));
        Assert.Equal(move, Portal.Moves["contoso"][0]);
    }
}
