using MaintenancePortal.Domain.Fleet;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class DedicatedHostTests
{
    [Fact]
    public void Reserve_beyond_free_capacity_is_refused_and_changes_nothing()
    {
        var host = DedicatedHost.Create(Host("h1", memoryMiB: 32_768)).Place("i-1", new Resources(4, 16_384));

        var ex = Assert.Throws<DomainException>(() => host.Reserve("i-2", new Resources(4, 20_000)));

        Assert.Contains("no room", ex.Message);
        Assert.Empty(host.Reserved);
        Assert.Equal(new Resources(60, 16_384), host.Free);
    }

    [Fact]
    public void Reserved_room_counts_against_capacity_until_the_move_arrives()
    {
        var host = DedicatedHost.Create(Host("h1", memoryMiB: 32_768)).Reserve("i-1", new Resources(4, 16_384));

        Assert.False(host.CanAccept(new Resources(4, 16_385)));
        host = host.CompleteArrival("i-1");

        Assert.Empty(host.Reserved);
        Assert.Equal(new Resources(4, 16_384), host.Placed["i-1"]);
        Assert.Equal(new Resources(4, 16_384), host.Used);
    }

    [Fact]
    public void A_host_under_maintenance_accepts_no_instance()
    {
        var host = DedicatedHost.Create(Host("h1")).BeginMaintenance("m1");

        Assert.Equal(HostState.Draining, host.State);
        Assert.Throws<DomainException>(() => host.Reserve("i-1", new Resources(1, 1024)));
    }

    [Fact]
    public void Maintenance_cannot_start_twice_and_restarting_the_same_event_is_a_no_op()
    {
        var host = DedicatedHost.Create(Host("h1")).BeginMaintenance("m1");

        Assert.Same(host, host.BeginMaintenance("m1"));
        Assert.Throws<DomainException>(() => host.BeginMaintenance("m2"));
    }

    [Fact]
    public void A_host_is_drained_only_when_empty()
    {
        var host = DedicatedHost.Create(Host("h1")).Place("i-1", new Resources(4, 16_384)).BeginMaintenance("m1");

        Assert.Throws<DomainException>(() => host.CompleteDrain());
        Assert.Equal(HostState.Drained, host.Depart("i-1").CompleteDrain().State);
    }

    [Fact]
    public void A_spare_is_given_to_one_tenant_only()
    {
        var spare = DedicatedHost.Create(Host("s1", tenant: null));

        var assigned = spare.AssignTo("t1");

        Assert.Equal("t1", assigned.Spec.TenantId);
        Assert.Throws<DomainException>(() => assigned.AssignTo("t2"));
    }

    [Fact]
    public void Calling_off_or_ending_a_maintenance_again_changes_nothing_and_never_touches_another_maintenance()
    {
        var host = DedicatedHost.Create(Host("h1")).BeginMaintenance("m1");

        var available = host.CancelMaintenance("m1");
        Assert.Equal(HostState.Available, available.State);
        Assert.Same(available, available.CancelMaintenance("m1"));

        var underM2 = available.BeginMaintenance("m2");
        Assert.Same(underM2, underM2.CancelMaintenance("m1"));
        Assert.Same(underM2, underM2.ReturnToService("m1"));
        var back = underM2.CompleteDrain().ReturnToService("m2");
        Assert.Equal(HostState.Available, back.State);
        Assert.Same(back, back.ReturnToService("m2"));
    }

    [Fact]
    public void Giving_back_room_that_is_not_held_changes_nothing()
    {
        var host = DedicatedHost.Create(Host("h1")).Reserve("i-1", new Resources(4, 16_384));

        var released = host.CancelReservation("i-1");

        Assert.Empty(released.Reserved);
        Assert.Same(released, released.CancelReservation("i-1"));
    }
}
