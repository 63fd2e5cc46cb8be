using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Tests;

public sealed class MaintenanceWindowTests
{
    private static readonly MaintenanceWindow SundayNight = new(DayOfWeek.Sunday, new TimeOnly(22, 0), TimeSpan.FromHours(4));

    [Fact]
    public void The_next_occurrence_is_found_across_the_week_and_midnight()
    {
        var wednesday = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(new DateTimeOffset(2026, 11, 29, 22, 0, 0, TimeSpan.Zero), SundayNight.EarliestFit(wednesday, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void Inside_an_occurrence_the_start_is_now_when_the_rest_of_it_is_long_enough()
    {
        var mondayOneAm = new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero);

        Assert.Equal(mondayOneAm, SundayNight.EarliestFit(mondayOneAm, TimeSpan.FromMinutes(30)));
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 22, 0, 0, TimeSpan.Zero), SundayNight.EarliestFit(mondayOneAm, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Nothing_longer_than_the_window_fits()
    {
        Assert.Null(SundayNight.EarliestFit(DateTimeOffset.UnixEpoch, TimeSpan.FromHours(5)));
    }
}
