using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Tests;

public sealed class MigrationSlotsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceOptions Limits = new() { MaxOutboundPerHost = 2, MaxInboundPerHost = 2, MaxPerCluster = 5 };

    private static MigrationSlots Take(MigrationSlots slots, MigrationSlot slot, int priority = 1)
    {
        var (next, granted) = slots.Request(slot, priority, Now, Limits);
        Assert.True(granted, $"{slot} was refused");
        return next;
    }

    private static bool Granted(MigrationSlots slots, MigrationSlot slot, int priority = 1) => slots.Request(slot, priority, Now, Limits).Granted;

    [Fact]
    public void A_source_sends_at_most_two_at_once()
    {
        var slots = Take(Take(MigrationSlots.Empty, new("m1", "a", "x")), new("m2", "a", "y"));

        Assert.False(Granted(slots, new("m3", "a", "z")));
        Assert.True(Granted(slots.Release("m1"), new("m3", "a", "z")));
    }

    [Fact]
    public void A_destination_receives_at_most_two_at_once()
    {
        var slots = Take(Take(MigrationSlots.Empty, new("m1", "a", "x")), new("m2", "b", "x"));

        Assert.False(Granted(slots, new("m3", "c", "x")));
    }

    [Fact]
    public void The_cluster_runs_at_most_five_at_once_and_a_holder_keeps_its_slot()
    {
        var slots = Enumerable.Range(1, 5).Aggregate(MigrationSlots.Empty, (s, i) => Take(s, new($"m{i}", $"src{i}", $"dst{i}")));

        Assert.False(Granted(slots, new("m6", "src6", "dst6")));
        Assert.True(Granted(slots, new("m1", "src1", "dst1")));
    }

    [Fact]
    public void The_last_cluster_slot_is_kept_for_a_more_urgent_move_that_is_waiting()
    {
        // Four running: two routine ones, and two leaving a degraded host (its outbound limit).
        var slots = new[] { new MigrationSlot("m1", "src1", "dst1"), new("m2", "src2", "dst2"), new("h1", "hot", "x1"), new("h2", "hot", "x2") }
            .Aggregate(MigrationSlots.Empty, (s, slot) => Take(s, slot));
        var (waiting, urgentGranted) = slots.Request(new("urgent", "hot", "x3"), 0, Now, Limits);
        Assert.False(urgentGranted);

        Assert.False(Granted(waiting, new("routine", "src5", "dst5")));
        Assert.True(Granted(waiting.Release("m1"), new("routine", "src5", "dst5")));
        var (afterUrgent, granted) = waiting.Release("h1").Request(new("urgent", "hot", "x3"), 0, Now, Limits);
        Assert.True(granted);
        Assert.True(Granted(afterUrgent, new("routine", "src5", "dst5")));
    }

    [Fact]
    public void A_waiting_move_that_stops_asking_no_longer_holds_others_back()
    {
        var slots = Enumerable.Range(1, 4).Aggregate(MigrationSlots.Empty, (s, i) => Take(s, new($"m{i}", $"src{i}", $"dst{i}")));
        slots = Take(Take(slots, new("a", "hot", "x1"), 0).Release("m1"), new("b", "hot", "x2"), 0);
        var (waiting, _) = slots.Request(new("urgent", "hot", "x3"), 0, Now, Limits);

        Assert.False(waiting.Request(new("routine", "src9", "dst9"), 1, Now, Limits).Granted);
        Assert.True(waiting.Release("m2").Request(new("routine", "src9", "dst9"), 1, Now + MigrationSlots.WaitingExpiry + TimeSpan.FromSeconds(1), Limits).Granted);
    }
}
