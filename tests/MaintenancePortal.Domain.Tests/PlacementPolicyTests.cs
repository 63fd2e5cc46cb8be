using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Placement;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class PlacementPolicyTests
{
    [Fact]
    public void Only_available_hosts_of_the_same_tenant_and_family_with_room_qualify()
    {
        var instance = Instance("i-1", memoryMiB: 16_384);
        DedicatedHost[] hosts =
        [
            DedicatedHost.Create(Host("source")),
            DedicatedHost.Create(Host("other-tenant", tenant: "t2")),
            DedicatedHost.Create(Host("other-family", family: "r7")),
            DedicatedHost.Create(Host("full", memoryMiB: 8_192)),
            DedicatedHost.Create(Host("draining")).BeginMaintenance("m9"),
            DedicatedHost.Create(Host("good")),
        ];

        var ranked = PlacementPolicy.RankDestinations(instance, "source", hosts);

        Assert.Equal(["good"], ranked.Select(h => h.HostId));
    }

    [Fact]
    public void Hosts_with_fewer_incoming_moves_come_first_then_more_free_memory()
    {
        var instance = Instance("i-1");
        DedicatedHost[] hosts =
        [
            DedicatedHost.Create(Host("busy")).Reserve("i-7", new Resources(1, 1024)),
            DedicatedHost.Create(Host("fuller")).Place("i-8", new Resources(8, 65_536)),
            DedicatedHost.Create(Host("emptier")),
        ];

        var ranked = PlacementPolicy.RankDestinations(instance, "source", hosts);

        Assert.Equal(["emptier", "fuller", "busy"], ranked.Select(h => h.HostId));
    }

    [Fact]
    public void A_spare_fits_when_it_is_unassigned_of_the_family_and_large_enough()
    {
        var instance = Instance("i-1", family: "r7");

        Assert.True(PlacementPolicy.SpareFits(DedicatedHost.Create(Host("s1", tenant: null, family: "r7")), instance));
        Assert.False(PlacementPolicy.SpareFits(DedicatedHost.Create(Host("s2", tenant: null, family: "m7")), instance));
        Assert.False(PlacementPolicy.SpareFits(DedicatedHost.Create(Host("s3", tenant: "t9", family: "r7")), instance));
    }
}
