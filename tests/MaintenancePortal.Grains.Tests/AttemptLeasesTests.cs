using MaintenancePortal.Grains.Delivery;

namespace MaintenancePortal.Grains.Tests;

public sealed class AttemptLeasesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Attempts_take_room_until_answered_or_until_their_lease_ends()
    {
        var leases = new AttemptLeases(capacity: 2);
        Assert.Equal(2, leases.Room(Now));

        leases.Take("a", Now.AddSeconds(10));
        leases.Take("b", Now.AddSeconds(20));
        Assert.Equal(0, leases.Room(Now));
        Assert.Equal(["a", "b"], leases.OnTheirWay.Order());

        leases.Answered("a");
        Assert.Equal(1, leases.Room(Now));
        Assert.Equal(2, leases.Room(Now.AddSeconds(20))); // b's answer never came: it is due again
        Assert.Empty(leases.OnTheirWay);
    }

    [Fact]
    public void While_every_lease_is_taken_it_wakes_only_for_a_lease_that_ends_not_for_what_is_already_due()
    {
        var leases = new AttemptLeases(capacity: 1);
        (string, DateTimeOffset)[] waiting = [("a", Now), ("b", Now.AddSeconds(-5))];
        Assert.Equal(Now.AddSeconds(-5), leases.NextWakeUp(waiting));

        leases.Take("a", Now.AddSeconds(30));
        Assert.Equal(Now.AddSeconds(30), leases.NextWakeUp(waiting)); // no spin while full

        var roomier = new AttemptLeases(capacity: 2);
        roomier.Take("a", Now.AddSeconds(30));
        Assert.Equal(Now.AddSeconds(-5), roomier.NextWakeUp(waiting));
        Assert.Equal(DateTimeOffset.MaxValue, new AttemptLeases(1).NextWakeUp([]));
    }
}
