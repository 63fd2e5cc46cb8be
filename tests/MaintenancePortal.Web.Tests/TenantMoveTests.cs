using Bunit;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Web.Components.Pages;
using MudBlazor;

namespace MaintenancePortal.Web.Tests;

public sealed class TenantMoveTests : PortalTestContext
{
    public TenantMoveTests()
    {
        SignInAsTenant("contoso", "Contoso");
    }

    private IRenderedComponent<TenantMove> RenderMove(string moveId) => Render<TenantMove>(p => p.Add(m => m.MoveId, moveId));

    [Fact]
    public void An_aborted_then_retried_move_shows_every_step_both_hosts_its_completion_and_the_rounds_of_the_attempt_that_finished()
    {
        Portal.Moves["contoso"] = [Moves.Retried("contoso", "i-aaa", "web-01")];

        var cut = RenderMove("mv-i-aaa");

        var steps = cut.FindAll("[data-testid=timeline-entry]");
        Assert.Equal(["Scheduled", "Started", "Round", "Round", "AttemptFailed", "Replanned", "Started", "Round", "Round", "Round", "Completed"],
            steps.Select(s => s.GetAttribute("data-step")));
        Assert.Contains("Attempt 1 failed · host h-dst · Aborted by an operator.", steps[4].TextContent.ReplaceLineEndings(" "));
        Assert.Equal("h-retry", cut.Find("[data-testid=move-destination]").TextContent);
        Assert.Contains("1 (on h-dst)", cut.Find("[data-testid=move-failed-attempts]").TextContent);
        Assert.Equal("2026-11-25 12:22 UTC", cut.Find("[data-testid=move-finished]").TextContent);
        Assert.Contains("paused", cut.Find("[data-testid=move-receipt]").TextContent);

        var charts = cut.FindComponents<MudChart<double>>();
        var bytes = charts[0].Instance.ChartSeries.Select(s => ((ChartSeries<double>)s).Data.Values.ToArray()).ToList();
        Assert.Equal(["Sent (MiB)", "Remaining (MiB)"], charts[0].Instance.ChartSeries.Select(s => s.Name));
        Assert.Equal([9 * 1024, 12 * 1024, 13 * 1024], bytes[0]);
        Assert.Equal([3 * 1024, 1024, 256], bytes[1]);
        var rates = charts[1].Instance.ChartSeries.Select(s => ((ChartSeries<double>)s).Data.Values.ToArray()).ToList();
        Assert.Equal([100, 90, 80], rates[0]);
        Assert.Equal([0, 35, 50], rates[1]);
        Assert.Contains("attempt 2", cut.Find("[data-testid=rounds]").TextContent);
    }

    [Theory]
    [InlineData("2026-11-25T16:00")] // what a datetime-local input sends
    [InlineData("2026-11-25T16:00:00")] // ... with seconds
    [InlineData("2026-11-25 16:00")] // typed by a person where the browser has no picker
    public void Reschedule_reads_what_the_browser_sends_and_people_type_in_the_tenants_zone(string typed)
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Portal.Preferences["contoso"] = TenantPreferences.None with { TimeZone = "Europe/Berlin" };
        var cut = RenderMove("mv-i-aaa");

        cut.Find("[data-testid=reschedule-at]").Change(typed);
        cut.Find("[data-testid=reschedule]").Click();

        // 16:00 in Berlin in November is 15:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero), Portal.Moves["contoso"][0].NotBefore);
        Assert.Contains("Rescheduled: it starts at 2026-11-25 16:00 CET", cut.Find("[data-testid=action-outcome]").TextContent);
    }

    [Fact]
    public void The_picker_offers_only_times_from_now_to_the_latest_start_in_the_tenants_zone()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Portal.Preferences["contoso"] = TenantPreferences.None with { TimeZone = "Europe/Berlin" };

        var picker = RenderMove("mv-i-aaa").Find("[data-testid=reschedule-at]");

        Assert.Equal("2026-11-25T13:00", picker.GetAttribute("min"));
        Assert.Equal("2026-11-26T09:00", picker.GetAttribute("max"));
        Assert.Equal("2026-11-25T13:15", picker.GetAttribute("value"));
    }

    [Theory]
    [InlineData("2026-11-26T09:01", "too late")]
    [InlineData("2026-11-25T12:59", "into the past")]
    [InlineData("tomorrow at three", "Give a date and time")]
    [InlineData("", "Give a date and time")]
    public void Reschedule_outside_the_allowed_range_or_unreadable_is_refused_naming_the_action_and_changes_nothing(string typed, string why)
    {
        var move = Moves.Scheduled("contoso", "i-aaa", "web-01");
        Portal.Moves["contoso"] = [move];
        Portal.Preferences["contoso"] = TenantPreferences.None with { TimeZone = "Europe/Berlin" };
        var cut = RenderMove("mv-i-aaa");

        cut.Find("[data-testid=reschedule-at]").Change(typed);
        cut.Find("[data-testid=reschedule]").Click();

        var outcome = cut.Find("[data-testid=action-outcome]").TextContent;
        Assert.StartsWith("Reschedule was refused:", outcome, StringComparison.Ordinal);
        Assert.Contains(why, outcome, StringComparison.Ordinal);
        Assert.Equal(move, Portal.Moves["contoso"][0]);
    }

    [Fact]
    public void Start_now_approves_the_move_and_the_timeline_says_so()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        Portal.Now = Moves.Now.AddMinutes(3);
        var cut = RenderMove("mv-i-aaa");

        cut.Find("[data-testid=start-now]").Click();

        Assert.Equal(Moves.Now.AddMinutes(3), Portal.Moves["contoso"][0].NotBefore);
        Assert.Equal("Approved", cut.FindAll("[data-testid=timeline-entry]")[^1].GetAttribute("data-step"));
    }

    [Fact]
    public void Another_tenants_move_is_not_found_and_nothing_of_it_is_shown()
    {
        Portal.Moves["fabrikam"] = [Moves.Scheduled("fabrikam", "i-fff", "secret-01")];

        var cut = RenderMove("mv-i-fff");

        Assert.Contains("You have no move mv-i-fff", cut.Find("[data-testid=move-not-found]").TextContent);
        Assert.DoesNotContain("secret-01", cut.Markup);
        Assert.Equal(["contoso"], Portal.Reads.Distinct());
    }

    [Fact]
    public void The_instances_metadata_address_is_shown_and_a_new_one_is_given_only_when_confirmed()
    {
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01")];
        var dialogs = Render<MudDialogProvider>();
        var cut = RenderMove("mv-i-aaa");
        Assert.Equal("http://localhost/imds/token-1", cut.Find("[data-testid=metadata-address]").TextContent);

        cut.Find("[data-testid=metadata-rotate]").Click();
        dialogs.FindAll("button").First(b => b.TextContent.Trim() == "New address").Click();

        cut.WaitForAssertion(() => Assert.Equal("http://localhost/imds/token-2-rotated", cut.Find("[data-testid=metadata-address]").TextContent));
        Assert.Contains("new metadata address", cut.Find("[data-testid=action-outcome]").TextContent);
    }
}
