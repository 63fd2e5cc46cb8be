using Bunit;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Web.Components.Pages;

namespace MaintenancePortal.Web.Tests;

public sealed class TenantPreferencesPageTests : PortalTestContext
{
    public TenantPreferencesPageTests()
    {
        SignInAsTenant("contoso", "Contoso");
        Portal.Moves["contoso"] = [Moves.Scheduled("contoso", "i-aaa", "web-01"), Moves.Scheduled("contoso", "i-bbb", "db-01")];
    }

    [Fact]
    public void The_stored_preferences_are_shown_in_the_tenants_zone()
    {
        Portal.Preferences["contoso"] = TenantPreferences.None with
        {
            Default = MovePreference.AskFirst, TimeZone = "America/New_York",
            Windows = [new MaintenanceWindow(DayOfWeek.Saturday, new TimeOnly(23, 30), TimeSpan.FromHours(3))],
        };

        var cut = Render<TenantPreferencesPage>();

        Assert.True(cut.Find("input[name=default-preference][value=AskFirst]").HasAttribute("checked"));
        Assert.Equal("America/New_York", cut.Find("#time-zone").GetAttribute("value"));
        Assert.Equal("Saturday", cut.Find("[data-testid=window-day]").GetAttribute("value"));
        Assert.Equal("23:30", cut.Find("[data-testid=window-start]").GetAttribute("value"));
        Assert.Equal("3", cut.Find("[data-testid=window-hours]").GetAttribute("value"));
        Assert.Contains("EST", cut.Find("[data-testid=zone-now]").TextContent);
    }

    [Fact]
    public void A_default_a_window_typed_as_a_person_types_it_and_saved_is_what_the_planner_reads()
    {
        var cut = Render<TenantPreferencesPage>();

        cut.Find("input[name=default-preference][value=RebootInWindow]").Change(true);
        cut.Find("[data-testid=window-add]").Click();
        cut.Find("[data-testid=window-day]").Change("Tuesday");
        cut.Find("[data-testid=window-start]").Change("01:30");
        cut.Find("[data-testid=window-hours]").Change("2.5");
        cut.Find("[data-testid=preferences-save]").Click();

        var saved = Portal.Preferences["contoso"];
        Assert.Equal(MovePreference.RebootInWindow, saved.Default);
        Assert.Equal([new MaintenanceWindow(DayOfWeek.Tuesday, new TimeOnly(1, 30), TimeSpan.FromHours(2.5))], saved.Windows);
        Assert.Contains("Saved", cut.Find("[data-testid=preferences-outcome]").TextContent);
    }

    [Theory]
    [InlineData("1.5", "window 1, length")]
    [InlineData("two", "window 1, length")]
    [InlineData("-4", "window 1, length")]
    public void A_window_shorter_than_two_hours_or_unreadable_is_refused_naming_it_and_nothing_is_saved(string hours, string field)
    {
        var cut = Render<TenantPreferencesPage>();

        cut.Find("[data-testid=window-add]").Click();
        cut.Find("[data-testid=window-hours]").Change(hours);
        cut.Find("[data-testid=preferences-save]").Click();

        Assert.Contains($"Not saved: {field}", cut.Find("[data-testid=preferences-outcome]").TextContent);
        Assert.False(Portal.Preferences.ContainsKey("contoso"));
    }
}
