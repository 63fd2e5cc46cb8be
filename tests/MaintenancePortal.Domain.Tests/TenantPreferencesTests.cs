using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Tests;

public sealed class TenantPreferencesTests
{
    private static readonly HashSet<string> Own = ["i-1", "i-2"];
    private static readonly MaintenanceWindow Sunday = new(DayOfWeek.Sunday, new TimeOnly(2, 0), TimeSpan.FromHours(4));

    private static string FieldOf(Action create) => Assert.Throws<InvalidRequestException>(create).Field;

    [Fact]
    public void Preferences_within_the_rules_are_taken_as_given()
    {
        var preferences = TenantPreferences.Create(MovePreference.AskFirst, new Dictionary<string, MovePreference> { ["i-2"] = MovePreference.RebootInWindow },
            [Sunday], "Europe/Berlin", Own);

        Assert.Equal(MovePreference.RebootInWindow, preferences.For("i-2"));
        Assert.Equal(MovePreference.AskFirst, preferences.For("i-1"));
    }

    [Fact]
    public void Undefined_preferences_and_days_are_refused_naming_the_field()
    {
        Assert.Equal("default", FieldOf(() => TenantPreferences.Create((MovePreference)99, new Dictionary<string, MovePreference>(), [], TenantPreferences.Utc, Own)));
        Assert.Equal("perInstance.i-1", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate,
            new Dictionary<string, MovePreference> { ["i-1"] = (MovePreference)(-1) }, [], TenantPreferences.Utc, Own)));
        Assert.Equal("windows[1].day", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [Sunday, Sunday with { Day = (DayOfWeek)7 }], TenantPreferences.Utc, Own)));
    }

    [Fact]
    public void Another_tenants_instance_too_many_windows_and_windows_of_no_or_too_much_length_are_refused()
    {
        Assert.Equal("perInstance.i-9", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate,
            new Dictionary<string, MovePreference> { ["i-9"] = MovePreference.AskFirst }, [], TenantPreferences.Utc, Own)));
        Assert.Equal("windows", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [.. Enumerable.Repeat(Sunday, TenantPreferences.MaxWindows + 1)], TenantPreferences.Utc, Own)));
        Assert.Equal("windows[0].length", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [Sunday with { Length = TimeSpan.Zero }], TenantPreferences.Utc, Own)));
        Assert.Equal("windows[0].length", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [Sunday with { Length = TimeSpan.FromDays(7.5) }], TenantPreferences.Utc, Own)));
    }

    [Fact]
    public void A_window_shorter_than_two_hours_and_a_zone_outside_the_tz_database_are_refused()
    {
        Assert.Equal("windows[0].length", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [Sunday with { Length = TimeSpan.FromMinutes(119) }], TenantPreferences.Utc, Own)));
        Assert.Equal("timeZone", FieldOf(() => TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [], "Mars/Olympus_Mons", Own)));
        Assert.Equal("Europe/Berlin", TenantPreferences.Create(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [Sunday with { Length = MaintenanceWindow.MinLength }], "Europe/Berlin", Own).TimeZone);
    }
}
