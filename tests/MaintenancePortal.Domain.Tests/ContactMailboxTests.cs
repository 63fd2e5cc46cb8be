using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Domain.Planning;
using static MaintenancePortal.Domain.Tests.TestFleet;

namespace MaintenancePortal.Domain.Tests;

/// <summary>What a contact is sent and when: each notice it chose once, at once or in its digest; the relay's answers.</summary>
public sealed class ContactMailboxTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static NoticeContact Contact(NoticeCadence cadence = NoticeCadence.Immediate, params NoticeKind[] kinds) =>
        NoticeContact.Create("ct-1", "t1", "ops@contoso.example", kinds.Length > 0 ? kinds : [NoticeKind.Scheduled, NoticeKind.Completed],
            cadence, 7, "Europe/Berlin", Now).Confirm(Now);

    private static Notice NoticeOf(NoticeKind kind, string instanceId = "i-1", Guid? id = null)
    {
        var decision = new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(15), Now.AddHours(20), "Live migration.");
        var move = InstanceMove.Schedule($"mv-{instanceId}", "m1", Instance(instanceId), MaintenanceReason.FirmwareUpdate, "h1", "h2",
            Now, Now.AddHours(24), decision);
        return Notice.Of(id ?? Guid.NewGuid(), kind, Now, MoveSummary.Of(move), move.Why);
    }

    [Fact]
    public void A_contact_gets_only_the_kinds_it_chose_and_each_notice_once_however_often_it_is_offered()
    {
        var scheduled = NoticeOf(NoticeKind.Scheduled);
        var mailbox = ContactMailbox.Empty
            .Take(Contact(), [scheduled, NoticeOf(NoticeKind.SlaAtRisk)], Now, out var taken)
            .Take(Contact(), [scheduled], Now, out var again);

        Assert.Equal((1, 0), (taken, again));
        var mail = Assert.Single(mailbox.Pending);
        Assert.Equal((MailKind.Notice, $"{scheduled.NoticeId}.ct-1"), (mail.Kind, mail.MailId));
    }

    [Fact]
    public void A_long_day_of_notices_is_remembered_at_least_as_far_back_as_a_generation()
    {
        var contact = Contact(NoticeCadence.Digest);
        var notices = Enumerable.Range(0, 5_000).Select(i => NoticeOf(NoticeKind.Scheduled, $"i-{i % 50}")).ToList();
        var mailbox = notices.Aggregate(ContactMailbox.Empty, (box, n) => box.Take(contact, [n], Now, out _));

        mailbox.Take(contact, notices.TakeLast(ContactMailbox.SeenPerGeneration).ToList(), Now, out var again);

        Assert.Equal(0, again);
        Assert.True(mailbox.Seen.Count + mailbox.SeenBefore.Count <= 2 * ContactMailbox.SeenPerGeneration);
        Assert.Equal(5_000, mailbox.DigestCounts[NoticeKind.Scheduled]);
    }

    [Fact]
    public void An_unconfirmed_bounced_or_unsubscribed_contact_takes_nothing()
    {
        var unconfirmed = NoticeContact.Create("ct-1", "t1", "ops@contoso.example", [NoticeKind.Scheduled], NoticeCadence.Immediate, 7, "UTC", Now);

        foreach (var contact in new[] { unconfirmed, unconfirmed.Confirm(Now).Bounce("550 no such user"), unconfirmed.Confirm(Now).Unsubscribe() })
        {
            ContactMailbox.Empty.Take(contact, [NoticeOf(NoticeKind.Scheduled)], Now, out var taken);
            Assert.Equal(0, taken);
        }
    }

    [Fact]
    public void A_digest_gathers_the_days_notices_once_and_lists_at_most_its_limit_counting_the_rest()
    {
        var contact = Contact(NoticeCadence.Digest);
        var notices = Enumerable.Range(0, ContactMailbox.DigestListed + 20).Select(i => NoticeOf(NoticeKind.Scheduled, $"i-{i}")).ToList();

        var mailbox = ContactMailbox.Empty.Take(contact, notices, Now, out _).Take(contact, notices.Take(5).ToList(), Now, out var again);
        Assert.Equal(0, again);
        Assert.Empty(mailbox.Pending);

        var closed = mailbox.CloseDigest("digest-1", Now.AddHours(19));
        var digest = Assert.Single(closed.Pending);
        Assert.Equal((MailKind.Digest, ContactMailbox.DigestListed, notices.Count), (digest.Kind, digest.Notices.Count, digest.NoticeCount));
        Assert.Equal(notices.Select(n => n.NoticeId).Take(ContactMailbox.DigestListed), digest.Notices.Select(n => n.NoticeId));
        Assert.Empty(closed.Digest);
        Assert.Same(closed, closed.CloseDigest("digest-2", Now.AddHours(43)));
    }

    [Fact]
    public void A_transient_refusal_is_retried_on_the_schedule_and_an_accepted_mail_goes_to_the_log()
    {
        var mailbox = ContactMailbox.Empty.Take(Contact(), [NoticeOf(NoticeKind.Scheduled)], Now, out _);
        var id = mailbox.Pending[0].MailId;

        var deferred = mailbox.Record(new RelayAnswer(id, Now, RelayOutcome.Transient, 421, "try later"), 0, out var finished);
        Assert.Null(finished);
        Assert.Equal(Now + RetrySchedule.Waits[1], deferred.Pending[0].NextAttemptAt);
        Assert.Empty(deferred.Due(Now.AddSeconds(1), new HashSet<string>()));

        var sent = deferred.Record(new RelayAnswer(id, Now.AddSeconds(5), RelayOutcome.Accepted, 250, "OK"), 0, out finished);
        Assert.Equal(MailStatus.Sent, finished!.Value.Status);
        Assert.Empty(sent.Pending);
        var logged = Assert.Single(sent.Log);
        Assert.Equal((MailStatus.Sent, 2, "250 OK"), (logged.Status, logged.Attempts, logged.Answer));
    }

    [Fact]
    public void A_mail_refused_on_every_attempt_is_given_up_after_the_schedule()
    {
        var mailbox = ContactMailbox.Empty.Take(Contact(), [NoticeOf(NoticeKind.Scheduled)], Now, out _);
        var id = mailbox.Pending[0].MailId;
        (OutgoingMail Mail, MailStatus Status)? finished = null;
        for (var i = 0; i < RetrySchedule.MaxAttempts; i++)
        {
            mailbox = mailbox.Record(new RelayAnswer(id, Now, RelayOutcome.Transient, null, "connection refused"), 0, out finished);
        }

        Assert.Equal(MailStatus.Exhausted, finished!.Value.Status);
        Assert.Empty(mailbox.Pending);
    }

    [Theory]
    [InlineData(250, true, RelayOutcome.Accepted)]
    [InlineData(421, true, RelayOutcome.Transient)]
    [InlineData(451, false, RelayOutcome.Transient)]
    [InlineData(550, true, RelayOutcome.RecipientRefused)]
    [InlineData(553, true, RelayOutcome.RecipientRefused)]
    [InlineData(554, false, RelayOutcome.MessageRefused)]
    [InlineData(535, false, RelayOutcome.Transient)]
    [InlineData(530, true, RelayOutcome.Transient)]
    public void A_reply_code_means_what_SMTP_says_and_the_relays_own_credentials_are_not_blamed_on_an_address(int code, bool forRecipient,
        RelayOutcome expected) =>
        Assert.Equal(expected, RelayAnswer.Classify(code, forRecipient));

    [Fact]
    public void Dropping_what_waits_logs_each_mail_and_empties_the_digest()
    {
        var mailbox = ContactMailbox.Empty.Take(Contact(), [NoticeOf(NoticeKind.Scheduled), NoticeOf(NoticeKind.Completed)], Now, out _);

        var dropped = mailbox.DropPending(Now, "ops@contoso.example bounced.");

        Assert.Empty(dropped.Pending);
        Assert.All(dropped.Log, r => Assert.Equal(MailStatus.Dropped, r.Status));
        Assert.Equal(2, dropped.Log.Count);
    }
}
