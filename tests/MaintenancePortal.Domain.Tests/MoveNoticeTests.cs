using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

/// <summary>A move's notice period counts from the first delivery of its announcement (docs/notices.md, "Notice that counts").</summary>
public sealed class MoveNoticeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Notice = TimeSpan.FromMinutes(15);

    private static readonly MoveDecision Live = new(MoveAction.LiveMigration, Now + Notice, Now.AddHours(20), "Live migration.") { NoticePeriod = Notice };

    private static InstanceMove Scheduled(bool awaitNotice) =>
        InstanceMove.Schedule("mv-1", "m1", Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2", Now, Now.AddHours(24), Live, awaitNotice);

    [Fact]
    public void A_tenant_with_no_channel_is_given_notice_in_the_portal_when_the_move_is_planned()
    {
        var move = Scheduled(awaitNotice: false);

        Assert.Equal((Now, NoticeChannel.Portal), (move.Notice!.GivenAt, move.Notice.Channel));
        Assert.Equal(Now + Notice, move.EarliestStart);
        Assert.True(move.CanStart(Now + Notice));
    }

    [Fact]
    public void A_move_whose_announcement_was_not_delivered_waits_until_its_latest_start_and_never_longer()
    {
        var move = Scheduled(awaitNotice: true);

        Assert.False(move.CanStart(Now + Notice));
        Assert.Equal(Now.AddHours(20), move.EarliestStart);
        Assert.True(move.CanStart(Now.AddHours(20)));
    }

    [Fact]
    public void The_period_counts_from_the_first_delivery_and_a_later_one_changes_nothing()
    {
        var delivered = Now.AddMinutes(40);
        var move = Scheduled(awaitNotice: true).NoticeGiven(delivered, MoveAction.LiveMigration, NoticeChannel.Email, "ops@contoso.example");

        Assert.Equal(delivered + Notice, move.EarliestStart);
        Assert.False(move.CanStart(delivered + Notice - TimeSpan.FromSeconds(1)));
        Assert.True(move.CanStart(delivered + Notice));
        Assert.Same(move, move.NoticeGiven(delivered.AddMinutes(5), MoveAction.LiveMigration, NoticeChannel.Webhook, "ep_1"));
        var step = Assert.Single(move.History, e => e.Step == MoveStep.NoticeGiven);
        Assert.Equal(delivered, step.At);
        Assert.Contains("ops@contoso.example", step.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_delivery_late_enough_to_pass_the_latest_start_still_lets_the_move_start_by_it()
    {
        var move = Scheduled(awaitNotice: true).NoticeGiven(Now.AddHours(19.9), MoveAction.LiveMigration, NoticeChannel.Webhook, "ep_1");

        Assert.Equal(Now.AddHours(20), move.EarliestStart);
    }

    [Fact]
    public void A_move_replanned_to_a_reboot_owes_the_reboot_notice_and_a_late_live_announcement_does_not_pay_it()
    {
        var given = Scheduled(awaitNotice: true).NoticeGiven(Now.AddMinutes(1), MoveAction.LiveMigration, NoticeChannel.Email, "ops@contoso.example");
        var reboot = new MoveDecision(MoveAction.RebootMove, Now.AddHours(21), Now.AddHours(22), "Fell back.") { NoticePeriod = TimeSpan.FromHours(1) };

        var replanned = given.Replan(Now.AddHours(20.5), reboot, "h3", awaitNotice: true);

        Assert.False(replanned.Notice!.IsGiven);
        Assert.Same(replanned, replanned.NoticeGiven(Now.AddHours(20.6), MoveAction.LiveMigration, NoticeChannel.Email, "ops@contoso.example"));
        var told = replanned.NoticeGiven(Now.AddHours(20.6), MoveAction.RebootMove, NoticeChannel.Email, "ops@contoso.example");
        Assert.Equal(Now.AddHours(21.6), told.EarliestStart);
    }

    [Fact]
    public void A_live_move_retried_on_another_host_keeps_the_notice_it_was_given()
    {
        var given = Scheduled(awaitNotice: true).NoticeGiven(Now.AddMinutes(1), MoveAction.LiveMigration, NoticeChannel.Webhook, "ep_1");
        var failed = given.Start(Now.AddMinutes(20)).LiveAttemptFailed(Now.AddMinutes(25), "destination lost");
        var retry = new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(26), Now.AddHours(20), "Retried.");

        var replanned = failed.Replan(Now.AddMinutes(26), retry, "h3", awaitNotice: true);

        Assert.Same(given.Notice, replanned.Notice);
        Assert.True(replanned.CanStart(Now.AddMinutes(26)));
    }

    [Fact]
    public void A_start_the_tenant_picks_needs_no_further_notice()
    {
        var move = Scheduled(awaitNotice: true);

        Assert.True(move.Approve(Now.AddMinutes(2)).CanStart(Now.AddMinutes(2)));
        Assert.True(move.Reschedule(Now.AddMinutes(2), Now.AddMinutes(5)).CanStart(Now.AddMinutes(5)));
    }

    [Fact]
    public void The_maintenance_event_starts_a_move_only_once_its_notice_lets_it_and_says_it_waits_for_notice()
    {
        var maintenance = MaintenanceEvent.Trigger("m1", "h1", "t1", MaintenanceReason.FirmwareUpdate, Now, new MaintenanceOptions());
        var tracked = maintenance.Track(Scheduled(awaitNotice: true));

        Assert.Empty(tracked.Due(Now + Notice));
        Assert.True(tracked.Moves["i-1"].AwaitingNotice);
        Assert.Single(tracked.Due(Now.AddHours(20)));
    }
}
