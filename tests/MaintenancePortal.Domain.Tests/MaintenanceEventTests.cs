using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class MaintenanceEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceOptions Options = new();

    private static (MaintenanceEvent Event, InstanceMove[] Moves) WithMoves(int count)
    {
        var maintenance = MaintenanceEvent.Trigger("m1", "h1", "t1", MaintenanceReason.FirmwareUpdate, Now, Options);
        var decision = new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(15), Now.AddHours(20), "Live migration.");
        var moves = Enumerable.Range(1, count)
            .Select(i => InstanceMove.Schedule($"mv-{i}", "m1", Instance($"i-{i}"), maintenance.Reason, "h1", "h2", Now,
                maintenance.Deadline, decision with { NotBefore = Now.AddMinutes(14 + i) }))
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
    public void Moves_are_due_once_their_start_has_come_earliest_first()
    {
        var (maintenance, _) = WithMoves(3);

        Assert.Empty(maintenance.Due(Now.AddMinutes(14)));
        Assert.Equal(["i-1", "i-2"], maintenance.Due(Now.AddMinutes(16)).Select(m => m.InstanceId));
    }

    [Fact]
    public void Failed_attempts_and_live_moves_past_their_latest_start_are_replanned()
    {
        var (maintenance, moves) = WithMoves(2);
        var failed = moves[0].Start(Now.AddMinutes(15)).LiveAttemptFailed(Now.AddMinutes(16), "lost");
        maintenance = maintenance.Track(failed);

        Assert.Equal(["i-1"], maintenance.ToReplan(Now.AddMinutes(17)).Select(m => m.InstanceId));
        Assert.DoesNotContain(maintenance.Due(Now.AddDays(1)), m => m.InstanceId == "i-1");
        Assert.Equal(["i-1", "i-2"], maintenance.ToReplan(Now.AddHours(21)).Select(m => m.InstanceId).Order());
    }

    [Fact]
    public void The_event_is_drained_only_when_every_instance_has_moved()
    {
        var (maintenance, moves) = WithMoves(2);
        var outcome = (InstanceMove m) => m.Complete(Now.AddMinutes(20),
            new MigrationOutcome(Migration.MigrationMethod.PreCopy, 10, 2, 1, 0, m.InstanceId, m.Instance.PrivateIp));
        maintenance = maintenance.Track(outcome(moves[0].Start(Now.AddMinutes(15))));

        Assert.Throws<DomainException>(() => maintenance.MarkDrained());

        maintenance = maintenance.Track(outcome(moves[1].Start(Now.AddMinutes(16))));
        Assert.Equal(MaintenanceState.Drained, maintenance.MarkDrained().State);
        Assert.Equal(moves.Length, maintenance.CompletedMoves);
    }

    [Fact]
    public void An_instance_without_room_keeps_the_event_from_being_drained()
    {
        var (maintenance, _) = WithMoves(0);
        maintenance = maintenance.NoRoomFor("i-9");

        Assert.False(maintenance.EveryMoveCompleted);
        Assert.Throws<DomainException>(() => maintenance.MarkDrained());
    }

    [Fact]
    public void An_older_copy_of_a_move_arriving_late_changes_nothing()
    {
        var (maintenance, moves) = WithMoves(1);
        var started = moves[0].Start(Now.AddMinutes(15));
        var completed = started.Complete(Now.AddMinutes(20),
            new MigrationOutcome(Migration.MigrationMethod.PreCopy, 10, 2, 1, 0, started.InstanceId, started.Instance.PrivateIp));

        maintenance = maintenance.Track(completed).Track(started).Track(moves[0]);

        Assert.Equal(MoveState.Completed, maintenance.Moves["i-1"].State);
        Assert.Equal(completed.Version, maintenance.Moves["i-1"].Version);
        Assert.True(maintenance.EveryMoveCompleted);
    }

    [Fact]
    public void Calling_off_cancels_the_moves_not_started_and_watches_the_running_ones_until_they_end()
    {
        var (maintenance, moves) = WithMoves(3);
        var running = moves[0].Start(Now.AddMinutes(15));
        maintenance = maintenance.Track(running);

        var cancelled = maintenance.Cancel();

        Assert.Equal(MaintenanceState.Cancelled, cancelled.State);
        Assert.Equal(["i-2", "i-3"], maintenance.NotStarted.Select(m => m.InstanceId));
        Assert.Equal([MoveState.Migrating, MoveState.Cancelled, MoveState.Cancelled], cancelled.Moves.Values.Select(m => m.State));
        Assert.Throws<DomainException>(() => cancelled.Cancel());
        Assert.True(cancelled.IsWatching);

        var completed = running.Complete(Now.AddMinutes(20),
            new MigrationOutcome(Migration.MigrationMethod.PreCopy, 10, 2, 1, 0, running.InstanceId, running.Instance.PrivateIp));
        Assert.False(cancelled.Track(completed).IsWatching);
    }

    [Fact]
    public void A_cancelled_move_is_cancelled_again_as_a_no_op_and_a_running_one_is_not_cancelled()
    {
        var (_, moves) = WithMoves(2);
        var cancelled = moves[0].Cancel(Now, "Called off.");

        Assert.Same(cancelled, cancelled.Cancel(Now.AddMinutes(1), "Again."));
        Assert.Throws<DomainException>(() => moves[1].Start(Now.AddMinutes(16)).Cancel(Now.AddMinutes(17), "Too late."));
    }
}
