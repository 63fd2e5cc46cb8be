using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Domain.Tests.Webhooks;

public sealed class EventTypeFilterTests
{
    private static readonly string[] Known =
    [
        "com.maintenanceportal.host.maintenance.started",
        "com.maintenanceportal.instance.migration.completed",
        "com.maintenanceportal.instance.reboot.completed",
        "com.maintenanceportal.instance.migration.progressed",
    ];

    [Theory]
    [InlineData("*", "com.maintenanceportal.host.maintenance.started", true)]
    [InlineData("com.maintenanceportal.instance.*", "com.maintenanceportal.instance.migration.completed", true)]
    [InlineData("com.maintenanceportal.instance.*", "com.maintenanceportal.host.maintenance.started", false)]
    [InlineData("*.completed", "com.maintenanceportal.instance.reboot.completed", true)]
    [InlineData("*.completed", "com.maintenanceportal.instance.migration.progressed", false)]
    [InlineData("com.*.migration.*", "com.maintenanceportal.instance.migration.progressed", true)]
    [InlineData("com.maintenanceportal.instance.migration.completed", "com.maintenanceportal.instance.migration.completed", true)]
    [InlineData("com.maintenanceportal.instance.migration.completed", "com.maintenanceportal.instance.reboot.completed", false)]
    public void Matches_follows_the_wildcards(string pattern, string type, bool expected) =>
        Assert.Equal(expected, EventTypeFilter.Parse([pattern], Known).Matches(type));

    [Fact]
    public void Parse_without_patterns_selects_every_type() =>
        Assert.Equal(EventTypeFilter.All, EventTypeFilter.Parse([], Known));

    [Theory]
    [InlineData("com.maintenanceportal.instance.migration.complete", "matches no event type")]
    [InlineData("instance.*", "matches no event type")]
    [InlineData("com.maintenanceportal.instance.migration.completed?", "not an event type pattern")]
    [InlineData("", "not an event type pattern")]
    public void Parse_refuses_a_pattern_that_selects_nothing_or_is_malformed(string pattern, string why) =>
        Assert.Contains(why, Assert.Throws<InvalidRequestException>(() => EventTypeFilter.Parse([pattern], Known)).Message);

    [Fact]
    public void A_blank_or_null_pattern_and_too_many_patterns_are_refused_naming_the_entry()
    {
        Assert.Equal("eventTypes[1]", Assert.Throws<InvalidRequestException>(() => EventTypeFilter.Parse(["*", null!], Known)).Field);
        Assert.Equal("eventTypes[0]", Assert.Throws<InvalidRequestException>(() => EventTypeFilter.Parse([" "], Known)).Field);
        Assert.Equal("eventTypes", Assert.Throws<InvalidRequestException>(() =>
            EventTypeFilter.Parse(Enumerable.Repeat("*", EventTypeFilter.MaxPatterns + 1), Known)).Field);
    }
}
