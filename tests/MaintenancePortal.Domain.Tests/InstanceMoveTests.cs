using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

public sealed class InstanceMoveTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static MigrationOutcome Outcome(double downtimeMs, string instanceId, string ip) =>
        new(MigrationMethod.PreCopy, downtimeMs, 4, 20_000_000_000, 0, instanceId, ip);

    private static readonly MoveDecision Live = new(MoveAction.LiveMigration, Now.AddMinutes(15), Now.AddHours(20), "Live migration.");

    private static InstanceMove Scheduled() =>
        InstanceMove.Schedule("mv-1", "m1", Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2",
            Now, Now.AddHours(24), Live);

    [Fact]
    public void A_move_cannot_start_before_its_notice_has_passed()
    {
        var move = Scheduled();

        Assert.Throws<DomainException>(() => move.Start(Now.AddMinutes(14)));
        Assert.Equal(MoveState.Migrating, move.Start(Now.AddMinutes(15)).State);
    }

    [Fact]
    public void Approving_a_running_move_changes_nothing_and_a_finished_one_says_there_is_nothing_to_approve()
    {
        var approved = Scheduled().Approve(Now);
        Assert.Equal(Now, approved.NotBefore);
        var running = approved.Start(Now);

        Assert.Same(running, running.Approve(Now.AddMinutes(1)));
        var done = running.Complete(Now.AddMinutes(2), Outcome(30, "i-1", running.Instance.PrivateIp));
        var refused = Assert.Throws<DomainException>(() => done.Approve(Now.AddMinutes(3)));
        Assert.Contains("nothing left to approve", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reschedule", refused.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Completing_records_a_receipt_that_proves_id_and_ip_were_kept()
    {
        var move = Scheduled().Start(Now.AddMinutes(15));

        var done = move.Complete(Now.AddMinutes(16), Outcome(42.5, "i-1", move.Instance.PrivateIp));

        Assert.Equal(MoveState.Completed, done.State);
        Assert.True(done.Receipt!.InstanceIdKept);
        Assert.True(done.Receipt.PrivateIpKept);
        Assert.Equal(TimeSpan.FromMinutes(1), done.Receipt.TotalTime);
        Assert.Equal(42.5, done.Receipt.DowntimeMs);
    }

    [Fact]
    public void A_destination_reporting_another_ip_is_refused()
    {
        var move = Scheduled().Start(Now.AddMinutes(15));

        Assert.Throws<DomainException>(() => move.Complete(Now.AddMinutes(16), Outcome(40, "i-1", "192.0.2.1")));
        Assert.False(move.KeepsIdentity(Outcome(40, "i-2", move.Instance.PrivateIp)));

        // Refused, never completed: the live attempt failed there, and the move waits for another host.
        var refused = move.RefuseIdentity(Now.AddMinutes(16), Outcome(40, "i-1", "192.0.2.1"));
        Assert.Equal((MoveState.Scheduled, true, 1), (refused.State, refused.NeedsReplan, refused.FailedLiveAttempts));
        Assert.Equal(["h2"], refused.FailedDestinations);
        Assert.Contains("192.0.2.1", refused.FailureReason, StringComparison.Ordinal);
        Assert.Null(refused.Receipt);

        var reboot = InstanceMove.Schedule("mv-2", "m1", Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2", Now,
            Now.AddHours(24), new MoveDecision(MoveAction.RebootMove, Now, Now.AddHours(22), "Reboot.")).Start(Now);
        var failed = reboot.RefuseIdentity(Now.AddMinutes(5), new MigrationOutcome(null, 1, 0, 0, 0, "i-9", reboot.Instance.PrivateIp));
        Assert.Equal(MoveState.Failed, failed.State);
        Assert.Null(failed.Receipt);
    }

    [Fact]
    public void Every_transition_raises_the_version_and_terminal_moves_refuse_more()
    {
        var scheduled = Scheduled();
        var started = scheduled.Start(Now.AddMinutes(15));
        var failed = started.Fail(Now.AddMinutes(20), "lost");

        Assert.Equal([1, 2, 3], new[] { scheduled.Version, started.Version, failed.Version });
        Assert.Throws<DomainException>(() => failed.Fail(Now.AddMinutes(21), "again"));
        Assert.Throws<DomainException>(() => failed.Start(Now.AddMinutes(21)));
    }

    [Fact]
    public void A_move_to_its_own_host_is_refused()
    {
        Assert.Throws<DomainException>(() => InstanceMove.Schedule("mv", "m1", Instance("i-1"),
            MaintenanceReason.Rebalance, "h1", "h1", Now, Now.AddHours(24), Live));
    }

    [Fact]
    public void A_reschedule_up_to_the_latest_start_is_honoured_and_one_past_it_refused()
    {
        var move = Scheduled();

        var later = move.Reschedule(Now, Now.AddHours(20));
        Assert.Equal(Now.AddHours(20), later.NotBefore);

        var ex = Assert.Throws<DomainException>(() => move.Reschedule(Now, Now.AddHours(20).AddMinutes(1)));
        Assert.Contains("too late", ex.Message);
        Assert.Throws<DomainException>(() => move.Reschedule(Now, Now.AddMinutes(-1)));
    }

    [Fact]
    public void A_failed_live_attempt_waits_for_a_new_destination_and_never_returns_to_the_failed_host()
    {
        var failed = Scheduled().Start(Now.AddMinutes(15)).LiveAttemptFailed(Now.AddMinutes(20), "did not converge");

        Assert.Equal(MoveState.Scheduled, failed.State);
        Assert.True(failed.NeedsReplan);
        Assert.False(failed.CanStart(Now.AddDays(1)));
        Assert.Equal(["h2"], failed.FailedDestinations);
        Assert.Equal(1, failed.FailedLiveAttempts);

        var retried = failed.Replan(Now.AddMinutes(20), Live with { NotBefore = Now.AddMinutes(21) }, "h3");
        Assert.Equal("h3", retried.DestinationHostId);
        Assert.True(retried.CanStart(Now.AddMinutes(21)));
    }

    [Fact]
    public void A_reboot_based_move_completes_with_a_receipt_and_no_live_method()
    {
        var reboot = InstanceMove.Schedule("mv-1", "m1", Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2", Now,
            Now.AddHours(24), new MoveDecision(MoveAction.RebootMove, Now.AddHours(22), Now.AddHours(22), "Reboot."));
        var started = reboot.Start(Now.AddHours(22));

        Assert.Throws<DomainException>(() => started.Complete(Now.AddHours(22).AddMinutes(2), Outcome(40, "i-1", reboot.Instance.PrivateIp)));
        var done = started.Complete(Now.AddHours(22).AddMinutes(2),
            new MigrationOutcome(null, 120_000, 0, 0, 0, "i-1", reboot.Instance.PrivateIp));

        Assert.Null(done.Receipt!.Method);
        Assert.True(done.Receipt.InstanceIdKept && done.Receipt.PrivateIpKept);
    }

    [Fact]
    public void Progress_is_reported_at_each_round_and_every_ten_points_within_one()
    {
        var first = new MigrationProgress(0, 1_000, 9_000, 50, 2_000, 10);

        Assert.True(first.IsWorthReportingAfter(null));
        Assert.False((first with { PercentComplete = 19.9 }).IsWorthReportingAfter(first));
        Assert.True((first with { PercentComplete = 20 }).IsWorthReportingAfter(first));
        Assert.True((first with { Round = 1, PercentComplete = 11 }).IsWorthReportingAfter(first));
    }

    [Fact]
    public void The_timeline_keeps_every_step_of_an_aborted_then_retried_move_with_one_entry_per_round()
    {
        var first = Scheduled().Start(Now.AddMinutes(15))
            .Report(Now.AddMinutes(16), new MigrationProgress(0, 1_000, 9_000, 50, 2_000, 10))
            .Report(Now.AddMinutes(17), new MigrationProgress(0, 5_000, 5_000, 50, 1_000, 50))
            .Report(Now.AddMinutes(18), new MigrationProgress(1, 9_000, 3_000, 80, 600, 75))
            .LiveAttemptFailed(Now.AddMinutes(19), "aborted by an operator");
        var done = first.Replan(Now.AddMinutes(19), Live with { NotBefore = Now.AddMinutes(20) }, "h3")
            .Start(Now.AddMinutes(20))
            .Report(Now.AddMinutes(21), new MigrationProgress(0, 2_000, 1_000, 10, 100, 60))
            .Complete(Now.AddMinutes(22), Outcome(30, "i-1", first.Instance.PrivateIp));

        Assert.Equal(
            [MoveStep.Scheduled, MoveStep.Started, MoveStep.Round, MoveStep.Round, MoveStep.AttemptFailed, MoveStep.Replanned,
             MoveStep.Started, MoveStep.Round, MoveStep.Completed],
            done.History.Select(e => e.Step));
        Assert.Equal([1, 1, 1, 1, 1, 2, 2, 2, 2], done.History.Select(e => e.Attempt));
        Assert.Equal(["h2", "h3"], done.History.Where(e => e.Step == MoveStep.Started).Select(e => e.HostId));
        Assert.Equal("aborted by an operator", done.History.Single(e => e.Step == MoveStep.AttemptFailed).Detail);
        var firstRounds = MoveHistory.RoundsOf(done.History, 1);
        Assert.Equal([5_000L, 9_000L], firstRounds.Select(e => e.Progress!.BytesSent)); // the round's last report
        Assert.Equal(Now.AddMinutes(22), done.History[^1].At);
    }

    [Fact]
    public void The_timeline_keeps_a_bounded_number_of_rounds_and_every_other_step()
    {
        var move = Scheduled().Start(Now.AddMinutes(15));
        for (var round = 0; round < MoveHistory.RoundsKept + 30; round++)
        {
            move = move.Report(Now.AddMinutes(16).AddSeconds(round), new MigrationProgress(round, round, 1, 1, 1, 1));
        }

        Assert.Equal(MoveHistory.RoundsKept, move.History.Count(e => e.Step == MoveStep.Round));
        Assert.Equal(30, MoveHistory.RoundsOf(move.History, 1)[0].Progress!.Round);
        Assert.Equal([MoveStep.Scheduled, MoveStep.Started], move.History.Where(e => e.Step != MoveStep.Round).Select(e => e.Step));
    }

    [Fact]
    public void Reschedule_and_approve_are_on_the_timeline_and_a_refusal_names_the_action()
    {
        var rescheduled = Scheduled().Reschedule(Now, Now.AddHours(3));
        Assert.Equal(MoveStep.Rescheduled, rescheduled.History[^1].Step);
        Assert.Equal(MoveStep.Approved, rescheduled.Approve(Now.AddMinutes(5)).History[^1].Step);

        var done = rescheduled.Approve(Now.AddMinutes(5)).Start(Now.AddMinutes(5));
        var refused = Assert.Throws<DomainException>(() => done.Reschedule(Now.AddMinutes(6), Now.AddHours(1)));
        Assert.Contains("rescheduled", refused.Message, StringComparison.Ordinal);
    }
}
