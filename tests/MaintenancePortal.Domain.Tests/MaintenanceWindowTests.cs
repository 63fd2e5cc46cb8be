using MaintenancePortal.Domain.Planning;
using NodaTime;

namespace MaintenancePortal.Domain.Tests;

public sealed class MaintenanceWindowTests
{
    private static readonly MaintenanceWindow SundayNight = new(DayOfWeek.Sunday, new TimeOnly(22, 0), TimeSpan.FromHours(4));

    [Fact]
    public void The_next_occurrence_is_found_across_the_week_and_midnight()
    {
        var wednesday = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 29, 22, 0, 0, TimeSpan.Zero), SundayNight.EarliestFit(wednesday, TimeSpan.FromHours(1), DateTimeZone.Utc));
    }

    [Fact]
    public void Inside_an_occurrence_the_start_is_now_when_the_rest_of_it_is_long_enough()
    {
        var mondayOneAm = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

        Assert.Equal(mondayOneAm, SundayNight.EarliestFit(mondayOneAm, TimeSpan.FromMinutes(30), DateTimeZone.Utc));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero), SundayNight.EarliestFit(mondayOneAm, TimeSpan.FromHours(2), DateTimeZone.Utc));
    }

    [Fact]
    public void Nothing_longer_than_the_window_fits()
    {
        Assert.Null(SundayNight.EarliestFit(DateTimeOffset.UnixEpoch, TimeSpan.FromHours(5), DateTimeZone.Utc));
    }

    private static DateTimeZone Zone(string id) => DateTimeZoneProviders.Tzdb[id];

    [Fact]
    public void A_window_is_in_the_tenants_zone_on_either_side_of_a_clock_change()
    {
        // Sunday 22:00 in Berlin is 21:00 UTC in winter and 20:00 UTC in summer.
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 0, 0, TimeSpan.Zero),
            SundayNight.EarliestFit(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), Zone("Europe/Berlin")));
        Assert.Equal(new DateTimeOffset(2026, 7, 5, 20, 0, 0, TimeSpan.Zero),
            SundayNight.EarliestFit(new DateTimeOffset(2026, 7, 1, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(1), Zone("Europe/Berlin")));
    }

    [Fact]
    public void A_window_opening_at_a_skipped_local_time_opens_later_by_the_gap()
    {
        // New York skips 02:00-03:00 on Sunday 2026-03-08: a 02:30 window opens at 03:30 EDT (07:30 UTC).
        var window = new MaintenanceWindow(DayOfWeek.Sunday, new TimeOnly(2, 30), TimeSpan.FromHours(2));

        Assert.Equal(new DateTimeOffset(2026, 3, 8, 7, 30, 0, TimeSpan.Zero),
            window.EarliestFit(new DateTimeOffset(2026, 3, 6, 0, 0, 0, TimeSpan.Zero), TimeSpan.FromMinutes(30), Zone("America/New_York")));
    }

    [Fact]
    public void A_window_that_opened_last_week_and_is_still_open_is_used()
    {
        var longWindow = new MaintenanceWindow(DayOfWeek.Wednesday, new TimeOnly(18, 0), TimeSpan.FromDays(6.5));
        var tuesday = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(tuesday, longWindow.EarliestFit(tuesday, TimeSpan.FromHours(2), DateTimeZone.Utc));
    }
}
