using MaintenancePortal.Domain.Draining;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class DrainStepTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly MaintenanceOptions Options = new();
    private static readonly DrainRules Rules = new(Options, new MigrationPolicy());
    private static readonly HashSet<string> NoneAnnounced = [];

    private static MaintenanceEvent Trigger() => MaintenanceEvent.Trigger("m1", "h1", "t1", MaintenanceReason.FirmwareUpdate, Now, Options);

    private static InstanceMove Planned(MaintenanceEvent maintenance, string instanceId) =>
        InstanceMove.Schedule($"mv-{instanceId}", "m1", Instance(instanceId), maintenance.Reason, "h1", "h2", Now, maintenance.Deadline,
            Rules.Decide(maintenance, Instance(instanceId), TenantPreferences.None, Rules.Predict(Instance(instanceId), 625, maintenance.Reason), 0, Now));

    [Fact]
    public void A_live_move_is_started_with_a_slot_once_its_notice_has_passed_and_the_step_wakes_up_for_it()
    {
        var maintenance = Trigger();
        var move = Planned(maintenance, "i-1");
        maintenance = maintenance.Track(move);

        var before = DrainStep.Next(maintenance, NoneAnnounced, Now, Rules);
        Assert.Empty(before.Actions);
        Assert.Equal(Now + Options.LiveMigrationNotice, before.WakeAt);

        var start = Assert.IsType<StartMove>(Assert.Single(DrainStep.Next(maintenance, NoneAnnounced, move.NotBefore, Rules).Actions));
        Assert.Equal(new MigrationSlot(move.MoveId, "h1", "h2"), start.Slot);
        Assert.Equal(Rules.Profile(MaintenanceReason.FirmwareUpdate).Priority, start.Priority);
    }

    [Fact]
    public void A_live_move_past_its_latest_start_is_replanned_not_started()
    {
        var maintenance = Trigger();
        var move = Planned(maintenance, "i-1");
        maintenance = maintenance.Track(move);

        var late = DrainStep.Next(maintenance, NoneAnnounced, move.LatestStart.AddSeconds(1), Rules);

        var replan = Assert.IsType<ReplanMove>(Assert.Single(late.Actions));
        Assert.Equal(move.MoveId, replan.Move.MoveId);
    }

    [Fact]
    public void A_running_live_attempt_past_its_allowance_is_aborted()
    {
        var maintenance = Trigger();
        var move = Planned(maintenance, "i-1").Start(Now.AddMinutes(15));
        maintenance = maintenance.Track(move);
        var abortAt = move.StartedAt!.Value + move.LiveAllowance!.Value;

        Assert.Equal(abortAt.AddTicks(1), DrainStep.Next(maintenance, NoneAnnounced, Now.AddMinutes(15), Rules).WakeAt);
        Assert.Empty(DrainStep.Next(maintenance, NoneAnnounced, abortAt, Rules).Actions);
        var abort = Assert.IsType<AbortMove>(Assert.Single(DrainStep.Next(maintenance, NoneAnnounced, abortAt.AddTicks(1), Rules).Actions));
        Assert.Contains($"ran past the {Readable.Duration(move.LiveAllowance.Value)} it was given", abort.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void An_instance_without_room_is_placed_again_on_every_step_and_announced_at_risk_once()
    {
        var maintenance = Trigger().NoRoomFor("i-1");

        var first = DrainStep.Next(maintenance, NoneAnnounced, Now, Rules).Actions;
        Assert.Equal(["i-1"], first.OfType<PlaceInstance>().Select(a => a.InstanceId));
        Assert.Equal(DrainStep.NoRoom, Assert.Single(first.OfType<AnnounceAtRisk>()).Why);

        var next = DrainStep.Next(maintenance, new HashSet<string> { "i-1" }, Now.AddMinutes(1), Rules).Actions;
        Assert.IsType<PlaceInstance>(Assert.Single(next));
    }

    [Fact]
    public void Once_every_move_is_completed_the_host_is_drained_and_a_cancelled_event_decides_nothing()
    {
        var maintenance = Trigger();
        var move = Planned(maintenance, "i-1").Start(Now.AddMinutes(15));
        var done = maintenance.Track(move.Complete(Now.AddMinutes(16), new MigrationOutcome(MigrationMethod.PreCopy, 20, 3, 1, 0, "i-1",
            move.Instance.PrivateIp)));

        Assert.IsType<MarkDrained>(Assert.Single(DrainStep.Next(done, NoneAnnounced, Now.AddMinutes(16), Rules).Actions));
        Assert.Empty(DrainStep.Next(Trigger().NoRoomFor("i-1").Cancel(), NoneAnnounced, Now, Rules).Actions);
    }
}
