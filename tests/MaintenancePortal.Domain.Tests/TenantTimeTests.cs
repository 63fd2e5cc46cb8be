using MaintenancePortal.Domain.Planning;
using NodaTime;

namespace MaintenancePortal.Domain.Tests;

public sealed class TenantTimeTests
{
    private static readonly DateTimeZone Berlin = DateTimeZoneProviders.Tzdb["Europe/Berlin"];
    private static readonly DateTimeOffset ThreeAmInBerlin = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-11-29T03:00")] // what a datetime-local input sends
    [InlineData("2026-11-29T03:00:00")] // ... with a step of seconds, or from some browsers
    [InlineData("2026-11-29T03:00:00.000")]
    [InlineData("2026-11-29 03:00")] // what a person types
    [InlineData("  2026-11-29   03:00 ")]
    [InlineData("2026-11-29T02:00Z")] // another zone, said
    [InlineData("2026-11-29T04:00:00+02:00")]
    public void What_browsers_send_and_people_type_is_read_in_the_tenants_zone(string text)
    {
        Assert.Equal(ThreeAmInBerlin, TenantTime.Parse(text, Berlin, "start"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tomorrow")]
    [InlineData("29/11/2026 03:00")]
    [InlineData("2026-13-45T99:00")]
    [InlineData("2026-11-29")]
    [InlineData("0001-01-01T00:00:00Z and more text that is long")]
    public void Anything_else_is_refused_naming_the_field(string? text)
    {
        Assert.Equal("start", Assert.Throws<InvalidRequestException>(() => TenantTime.Parse(text, Berlin, "start")).Field);
    }

    [Fact]
    public void Clock_changes_resolve_to_the_earlier_time_or_later_by_the_gap()
    {
        // 02:30 on 2026-10-25 happens twice in Berlin: the first (CEST, 00:30 UTC). 02:30 on 2026-03-29 never happens: 03:30 CEST.
        Assert.Equal(new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero), TenantTime.Parse("2026-10-25T02:30", Berlin, "start"));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero), TenantTime.Parse("2026-03-29T02:30", Berlin, "start"));
    }

    [Fact]
    public void A_time_is_shown_and_put_in_an_input_in_the_zone()
    {
        Assert.Equal("2026-11-29T03:00", TenantTime.ToInput(ThreeAmInBerlin, Berlin));
        Assert.Equal("2026-11-29 03:00 CET", TenantTime.Show(ThreeAmInBerlin, Berlin));
        Assert.Equal(ThreeAmInBerlin, TenantTime.Parse(TenantTime.ToInput(ThreeAmInBerlin, Berlin), Berlin, "start"));
    }
}
