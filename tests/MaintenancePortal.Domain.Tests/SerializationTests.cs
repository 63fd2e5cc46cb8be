using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

/// <summary>What grain state and grain calls carry comes back whole through Orleans' serializer (members added later included).</summary>
public sealed class SerializationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static T RoundTrip<T>(T value) => Serializer.Deserialize<T>(Serializer.SerializeToArray(value))!;

    [Fact]
    public void A_move_keeps_its_timeline_and_prediction_and_its_summary_every_field()
    {
        var decision = new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(15), Now.AddHours(20), "Live migration.")
        {
            Prediction = new MovePrediction(TimeSpan.FromMilliseconds(40), TimeSpan.FromMinutes(3)),
        };
        var move = InstanceMove.Schedule("mv-1", "m1", Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2", Now, Now.AddHours(24), decision)
            .Reschedule(Now, Now.AddHours(1))
            .Start(Now.AddHours(1))
            .Report(Now.AddHours(1).AddMinutes(1), new MigrationProgress(1, 2_000, 1_000, 30, 20, 66, 10));

        var back = RoundTrip(move);

        Assert.Equal(move.History, back.History);
        Assert.Equal(Now.AddHours(1), back.History[1].Start);
        Assert.Equal(move.Prediction, back.Prediction);
        Assert.Equal(move.Notice, back.Notice);
        Assert.Equal(MoveSummary.Of(move), RoundTrip(MoveSummary.Of(move)));
    }

    [Fact]
    public void A_contacts_mailbox_keeps_what_waits_the_digest_its_counts_and_the_log()
    {
        var contact = Notices.NoticeContact.Create("ct-1", "t1", "ops@contoso.example", [Notices.NoticeKind.Scheduled], Notices.NoticeCadence.Immediate,
            7, "UTC", Now).Confirm(Now);
        var move = InstanceMove.Schedule("mv-1", "m1", Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2", Now, Now.AddHours(24),
            new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(15), Now.AddHours(20), "Live migration."), awaitNotice: true);
        var notice = Notices.Notice.Of(Guid.NewGuid(), Notices.NoticeKind.Scheduled, Now, MoveSummary.Of(move), move.Why);
        var mailbox = Notices.ContactMailbox.Empty.Take(contact, [notice, notice with { NoticeId = "n2" }], Now, out _);
        mailbox = mailbox.Record(new Notices.RelayAnswer(mailbox.Pending[0].MailId, Now, Notices.RelayOutcome.Accepted, 250, "OK"), 0, out _);

        var back = RoundTrip(mailbox);

        Assert.Equal(mailbox.Pending.Single().MailId, back.Pending.Single().MailId);
        Assert.Equal(mailbox.Pending[0].Notices[0].Move, back.Pending[0].Notices[0].Move);
        Assert.Equal(mailbox.Log, back.Log);
        Assert.True(mailbox.Seen.SetEquals(back.Seen));
    }

    [Fact]
    public void Preferences_keep_their_time_zone_and_windows()
    {
        var preferences = new TenantPreferences(MovePreference.AskFirst, new Dictionary<string, MovePreference> { ["i-1"] = MovePreference.RebootInWindow },
            [new MaintenanceWindow(DayOfWeek.Sunday, new TimeOnly(1, 30), TimeSpan.FromHours(3))], "Europe/Berlin");

        var back = RoundTrip(preferences);

        Assert.Equal("Europe/Berlin", back.TimeZone);
        Assert.Equal(preferences.Windows, back.Windows);
        Assert.Equal(MovePreference.RebootInWindow, back.For("i-1"));
    }

    [Fact]
    public void A_notice_contact_keeps_its_kinds_cadence_and_state()
    {
        var contact = Notices.NoticeContact.Create("ct-1", "contoso", "ops@contoso.example", [Notices.NoticeKind.SlaAtRisk, Notices.NoticeKind.Completed],
            Notices.NoticeCadence.Digest, 7, "Europe/Berlin", Now).Confirm(Now);

        var back = RoundTrip(contact);

        Assert.Equal(contact.Kinds, back.Kinds);
        Assert.Equal(contact with { Kinds = back.Kinds }, back);
    }
}
