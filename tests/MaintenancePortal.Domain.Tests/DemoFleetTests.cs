using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class DemoFleetTests
{
    private static readonly DemoFleet Fleet = DemoFleet.Generate(new DemoFleetOptions());

    [Fact]
    public void The_default_fleet_has_a_few_tenants_about_forty_hosts_and_about_three_hundred_instances()
    {
        Assert.Equal(4, Fleet.Tenants.Count);
        Assert.Equal(40, Fleet.Hosts.Count(h => !h.IsSpare));
        Assert.Equal(6, Fleet.Hosts.Count(h => h.IsSpare));
        Assert.InRange(Fleet.Instances.Count, 250, 350);
    }

    [Fact]
    public void The_same_seed_gives_the_same_fleet()
    {
        var again = DemoFleet.Generate(new DemoFleetOptions());

        Assert.Equal(Fleet.Instances.Select(i => i.Instance), again.Instances.Select(i => i.Instance));
    }

    [Fact]
    public void Instance_ids_and_ips_are_unique_and_no_host_is_oversubscribed()
    {
        Assert.Equal(Fleet.Instances.Count, Fleet.Instances.Select(i => i.Instance.InstanceId).Distinct().Count());
        Assert.Equal(Fleet.Instances.Count, Fleet.Instances.Select(i => i.Instance.PrivateIp).Distinct().Count());
        foreach (var host in Fleet.Hosts)
        {
            var placed = Fleet.Instances.Where(i => i.HostId == host.HostId)
                .Aggregate(DedicatedHost.Create(host), (h, i) => h.Place(i.Instance.InstanceId, i.Instance.Size));
            Assert.True(host.Capacity.Covers(placed.Used));
            Assert.All(Fleet.Instances.Where(i => i.HostId == host.HostId),
                i => Assert.Equal((host.TenantId, host.Family), (i.Instance.TenantId, i.Instance.Family)));
        }
    }

    [Fact]
    public void Dirty_rates_vary_from_idle_web_servers_to_write_heavy_databases()
    {
        var rates = Fleet.Instances.Select(i => i.Instance.DirtyRateMiBps).ToList();

        Assert.True(rates.Min() < 10);
        Assert.True(rates.Max() > 300);
    }
}
