using MaintenancePortal.Contracts;

namespace MaintenancePortal.Grains.Tests;

public sealed class LifecycleEventTypesTests
{
    private static readonly Type[] EventTypes = [.. typeof(IMaintenanceLifecycleEvent).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMaintenanceLifecycleEvent).IsAssignableFrom(t))];

    [Fact]
    public void Every_lifecycle_event_has_one_reverse_dns_type_name()
    {
        Assert.Equal(EventTypes.Length, LifecycleEventTypes.All.Count);
        Assert.Equal(LifecycleEventTypes.All.Count, LifecycleEventTypes.All.Distinct().Count());
        Assert.All(LifecycleEventTypes.All, name => Assert.Matches(@"^com\.maintenanceportal\.[a-z]+(\.[a-z-]+)+$", name));
    }

    [Fact]
    public void The_type_name_of_an_event_follows_its_clr_type()
    {
        var drained = new HostDrained(Guid.NewGuid(), DateTimeOffset.UnixEpoch, "t1", "mnt-1", "h1", 3);

        Assert.Equal("com.maintenanceportal.host.drained", LifecycleEventTypes.Of(drained));
    }
}
