using MaintenancePortal.Domain.Maintenance;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class MaintenanceEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceOptions Options = new() { LiveMigrationNotice = TimeSpan.FromMinutes(15), MaxOutboundPerHost = 2 };

    private static (MaintenanceEvent Event, InstanceMove[] Moves) WithMoves(int count)
    {
        var maintenance = MaintenanceEvent.Trigger("m1", "h1", "t1", MaintenanceReason.FirmwareUpdate, Now, Options);
        var notBefore = maintenance.LiveMigrationNotBefore(Now, Options);
        var moves = Enumerable.Range(1, count)
            .Select(i => InstanceMove.Schedule($"mv-{i}", "m1", Instance($"i-{i}"), maintenance.Reason, "h1", "h2", Now,
                notBefore, maintenance.Deadline))
            .ToArray();
        return (moves.Aggregate(maintenance, (e, m) => e.Track(m)), moves);
    }

    [Fact]
    public void The_deadline_is_the_trigger_plus_24_hours_by_default()
    {
        var maintenance = MaintenanceEvent.Trigger("m1", "h1", "t1", MaintenanceReason.DegradedHardware, Now, new MaintenanceOptions());

        Assert.Equal(Now.AddHours(24), maintenance.Deadline);
        Assert.Equal(MaintenanceState.Draining, maintenance.State);
    }

    [Fact]
    public void No_move_is_ready_before_the_notice_has_passed()
    {
        var (maintenance, _) = WithMoves(3);

        Assert.Empty(maintenance.ReadyToStart(Now.AddMinutes(14), Options));
    }

    [Fact]
    public void At_most_the_outbound_limit_of_moves_run_at_once()
    {
        var (maintenance, _) = WithMoves(5);
        var later = Now.AddMinutes(15);

        var first = maintenance.ReadyToStart(later, Options);
        Assert.Equal(["i-1", "i-2"], first.Select(m => m.InstanceId));

        maintenance = first.Aggregate(maintenance, (e, m) => e.Update(m.InstanceId, MoveState.Migrating));
        Assert.Empty(maintenance.ReadyToStart(later, Options));

        maintenance = maintenance.Update("i-1", MoveState.Completed);
        Assert.Equal(["i-3"], maintenance.ReadyToStart(later, Options).Select(m => m.InstanceId));
    }

    [Fact]
    public void The_event_is_drained_only_when_every_instance_has_moved()
    {
        var (maintenance, moves) = WithMoves(2);
        maintenance = maintenance.Update("i-1", MoveState.Completed);

        Assert.Throws<DomainException>(() => maintenance.MarkDrained());

        maintenance = maintenance.Update("i-2", MoveState.Completed);
        Assert.Equal(MaintenanceState.Drained, maintenance.MarkDrained().State);
        Assert.Equal(moves.Length, maintenance.CompletedMoves);
    }

    [Fact]
    public void An_instance_without_room_keeps_the_event_from_being_drained()
    {
        var (maintenance, _) = WithMoves(1);
        maintenance = maintenance.Update("i-1", MoveState.Completed).NoRoomFor("i-9");

        Assert.False(maintenance.EveryMoveCompleted);
        Assert.Throws<DomainException>(() => maintenance.MarkDrained());
    }

    [Fact]
    public void Notice_never_pushes_a_start_past_the_deadline()
    {
        var options = new MaintenanceOptions { CompletionSla = TimeSpan.FromMinutes(10), LiveMigrationNotice = TimeSpan.FromMinutes(15) };
        var maintenance = MaintenanceEvent.Trigger("m1", "h1", "t1", MaintenanceReason.DegradedHardware, Now, options);

        Assert.Equal(maintenance.Deadline, maintenance.LiveMigrationNotBefore(Now, options));
    }
}
