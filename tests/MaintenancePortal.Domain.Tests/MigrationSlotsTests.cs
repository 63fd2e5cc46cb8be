using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Tests;

public sealed class MigrationSlotsTests
{
    private static readonly MaintenanceOptions Limits = new() { MaxOutboundPerHost = 2, MaxInboundPerHost = 2, MaxPerCluster = 5 };

    [Fact]
    public void A_source_sends_at_most_two_at_once()
    {
        var slots = MigrationSlots.Empty.Acquire(new("m1", "a", "x"), Limits).Acquire(new("m2", "a", "y"), Limits);

        Assert.False(slots.CanAcquire(new("m3", "a", "z"), Limits));
        Assert.True(slots.Release("m1").CanAcquire(new("m3", "a", "z"), Limits));
    }

    [Fact]
    public void A_destination_receives_at_most_two_at_once()
    {
        var slots = MigrationSlots.Empty.Acquire(new("m1", "a", "x"), Limits).Acquire(new("m2", "b", "x"), Limits);

        Assert.False(slots.CanAcquire(new("m3", "c", "x"), Limits));
        Assert.Throws<DomainException>(() => slots.Acquire(new("m3", "c", "x"), Limits));
    }

    [Fact]
    public void The_cluster_runs_at_most_five_at_once_and_a_holder_keeps_its_slot()
    {
        var slots = Enumerable.Range(1, 5).Aggregate(MigrationSlots.Empty,
            (s, i) => s.Acquire(new($"m{i}", $"src{i}", $"dst{i}"), Limits));

        Assert.False(slots.CanAcquire(new("m6", "src6", "dst6"), Limits));
        Assert.True(slots.CanAcquire(new("m1", "src1", "dst1"), Limits));
    }
}
