using Ical.Net;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Notices;
using MimeKit;
using static MaintenancePortal.Notices.Tests.TestNotices;

namespace MaintenancePortal.Notices.Tests;

/// <summary>Notices as a mail client reads them: the message written out and parsed back with MimeKit.</summary>
public sealed class NoticeComposerTests
{
    private static MimeMessage RoundTrip(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        stream.Position = 0;
        return MimeMessage.Load(stream);
    }

    private static string Text(MimePart part)
    {
        using var content = new MemoryStream();
        part.Content!.DecodeTo(content, TestContext.Current.CancellationToken);
        return System.Text.Encoding.UTF8.GetString(content.ToArray());
    }

    private static OutgoingMail Mail(params Notice[] notices) =>
        ContactMailbox.Empty.Take(Contact(), notices, Now, out _).Pending[0];

    [Fact]
    public void A_scheduled_notice_names_the_instance_gives_its_times_in_the_contacts_zone_links_the_move_and_carries_its_calendar_event()
    {
        var move = Move();
        var notice = Scheduled(move);

        var message = RoundTrip(Composer().Compose(Contact(), Mail(notice), Links));

        Assert.Equal("ops@northwind.example", message.To.Mailboxes.Single().Address);
        // 12:15 UTC is 21:15 in Tokyo (JST, UTC+9).
        Assert.Equal("Live migration of web-1 from 2026-11-29 21:15 JST", message.Subject);
        Assert.Equal($"{notice.NoticeId}.ct_1@portal.example", message.MessageId);
        Assert.Contains("Not before:    2026-11-29 21:15 JST", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Deadline:      2026-11-30 21:00 JST", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Expected pause: 42 ms", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"https://portal.example/migrations/{move.MoveId}#reschedule", message.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://portal.example/migrations/{move.MoveId}#approve\"", message.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("<https://portal.example/notices/unsubscribe/uns7b>", message.Headers[HeaderId.ListUnsubscribe]);
        Assert.Equal("List-Unsubscribe=One-Click", message.Headers["List-Unsubscribe-Post"]);

        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("text/calendar", attachment.ContentType.MimeType);
        var calendar = Calendar.Load(Text(attachment))!;
        var e = Assert.Single(calendar.Events);
        Assert.Equal($"{move.MoveId}@maintenanceportal", e.Uid);
        Assert.Equal(move.NotBefore.UtcDateTime, e.Start!.AsUtc);
    }

    [Fact]
    public void What_a_tenant_named_is_encoded_in_the_html_and_cannot_add_a_header()
    {
        var notice = Scheduled(Move(name: "<img src=x onerror=alert(1)>\r\nBcc: evil@example.com"));

        var message = RoundTrip(Composer().Compose(Contact(), Mail(notice), Links));

        Assert.DoesNotContain("<img src=x", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", message.HtmlBody, StringComparison.Ordinal);
        Assert.Empty(message.Bcc);
        Assert.Single(message.To.Mailboxes);
    }

    [Fact]
    public void A_completed_notice_carries_the_receipt_and_how_notice_was_given()
    {
        var move = Move(awaitNotice: true).NoticeGiven(Now.AddMinutes(1), MoveAction.LiveMigration, NoticeChannel.Email, "ops@northwind.example");
        var done = move.Start(Now.AddMinutes(20)).Complete(Now.AddMinutes(23),
            new MigrationOutcome(MigrationMethod.PreCopy, 37.5, 4, 17_179_869_184, 0, move.InstanceId, move.Instance.PrivateIp));
        var notice = Notice.Of(Guid.NewGuid(), NoticeKind.Completed, Now.AddMinutes(23), MoveSummary.Of(done), done.Why, done.Receipt);

        var message = RoundTrip(Composer().Compose(Contact(), Mail(notice), Links));

        Assert.Equal("Moved: web-1, paused 37.5 ms", message.Subject);
        Assert.Contains("paused 37.5 ms, 3m 00s in all, 4 rounds, 16.0 GiB copied", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("h-1 to h-2; ID and IP kept", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Notice given:  2026-11-29 21:01 JST, by e-mail to ops@northwind.example", message.TextBody, StringComparison.Ordinal);
        Assert.Empty(message.Attachments);
    }

    [Fact]
    public void A_confirmation_carries_its_link_and_no_unsubscribe_header()
    {
        var mail = ContactMailbox.Empty.Confirmation("confirm-ct_1-1", Now).Pending[0];
        var contact = NoticeContact.Create("ct_1", "northwind", "ops@northwind.example", [NoticeKind.Scheduled], NoticeCadence.Immediate, 7, "UTC", Now);

        var message = RoundTrip(Composer().Compose(contact, mail, Links));

        Assert.Equal("Confirm that ops@northwind.example gets maintenance notices", message.Subject);
        Assert.Contains("https://portal.example/notices/confirm/c0nf1rm", message.TextBody, StringComparison.Ordinal);
        Assert.Null(message.Headers[HeaderId.ListUnsubscribe]);
    }

    [Fact]
    public void A_digest_lists_each_notice_once_counts_the_day_and_carries_the_events_it_announces()
    {
        var contact = Contact(NoticeCadence.Digest);
        var notices = Enumerable.Range(0, 30).Select(i => Scheduled(Move($"i-{i:0000}", $"web-{i}"))).ToList();
        var mailbox = ContactMailbox.Empty.Take(contact, notices, Now, out _).Take(contact, notices, Now, out _).CloseDigest("digest-1", Now);

        var message = RoundTrip(Composer().Compose(contact, mailbox.Pending[0], Links));

        Assert.Equal("Maintenance digest: 30 notices", message.Subject);
        foreach (var i in Enumerable.Range(0, 30))
        {
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(message.TextBody!, $@"== Live migration of web-{i} from"));
        }

        Assert.Contains("- Live migration scheduled: 30", message.TextBody, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal(30, Calendar.Load(Text(attachment))!.Events.Count);
    }
}
