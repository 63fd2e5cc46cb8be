using System.Text.RegularExpressions;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Notices.Contacts;
using MaintenancePortal.Tests.Shared;
using MimeKit;
using static MaintenancePortal.Notices.Tests.TestNotices;

namespace MaintenancePortal.Notices.Tests;

/// <summary>A contact grain on a fake clock, sending through MailKit to a real SMTP server in the test process.</summary>
public sealed partial class NoticeContactGrainTests(NoticeCluster cluster) : IClassFixture<NoticeCluster>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    [GeneratedRegex(@"/notices/confirm/([A-Za-z0-9_-]{43})")]
    private static partial Regex ConfirmToken();

    private List<MimeMessage> To(string address) => [.. cluster.Relay.Received.Where(m => m.To.Mailboxes.Any(t => t.Address == address))];

    /// <summary>A new contact of the tenant's, confirmed with the token of the link it was sent.</summary>
    private async Task<INoticeContactGrain> ConfirmedAsync(string address, NoticeCadence cadence)
    {
        var contact = cluster.Grains.GetGrain<INoticeContactGrain>(NoticeContactKey.Of("northwind", $"ct_{Guid.NewGuid():N}"));
        await contact.CreateAsync(new ContactSettings(address, [NoticeKind.Scheduled, NoticeKind.Completed], cadence, 7, "Europe/Berlin"));
        await Eventually.HoldsAsync(() => Task.FromResult(To(address).Count == 1), Within);
        Assert.False(await contact.TakesAsync(NoticeKind.Scheduled)); // nothing before the link is followed
        Assert.True(await contact.ConfirmAsync(ConfirmToken().Match(To(address)[0].TextBody!).Groups[1].Value));
        Assert.False(await contact.ConfirmAsync(new string('A', 43)));
        return contact;
    }

    [Fact]
    public async Task A_digest_goes_out_once_at_the_contacts_hour_with_each_notice_once_however_often_it_was_offered()
    {
        var address = $"digest-{Guid.NewGuid():N}@northwind.example";
        var contact = await ConfirmedAsync(address, NoticeCadence.Digest);
        var notices = Enumerable.Range(0, 30).Select(i => Scheduled(Move($"i-{i:0000}", $"web-{i}"))).ToList();

        Assert.Equal(30, await contact.EnqueueAsync(notices));
        Assert.Equal(0, await contact.EnqueueAsync(notices.Take(10).ToList())); // a redelivered event
        var overview = (await contact.GetAsync())!;
        Assert.Equal(30, overview.InDigest);
        // 07:00 in Berlin (UTC+1 in November) is 06:00 UTC, the next morning.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), overview.NextDigestAt);

        cluster.Clock.Advance(TimeSpan.FromHours(17.9));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(To(address)); // not before its hour
        cluster.Clock.Advance(TimeSpan.FromHours(0.2));
        await Eventually.HoldsAsync(() => Task.FromResult(To(address).Count == 2), Within);

        var digest = To(address)[1];
        Assert.Equal("Maintenance digest: 30 notices", digest.Subject);
        foreach (var i in Enumerable.Range(0, 30))
        {
            Assert.Single(Regex.Matches(digest.TextBody!, $@"== Live migration of web-{i} from"));
        }

        cluster.Clock.Advance(TimeSpan.FromDays(1));
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Equal(2, To(address).Count); // nothing gathered since: no digest
        Assert.Equal(0, (await contact.GetAsync())!.InDigest);
    }

    [Fact]
    public async Task A_relay_that_refuses_for_a_while_gets_the_notice_later_on_the_retry_schedule()
    {
        var address = $"ops-{Guid.NewGuid():N}@northwind.example";
        var contact = await ConfirmedAsync(address, NoticeCadence.Immediate);

        cluster.Relay.Deferring = true;
        var deferredBefore = cluster.Relay.Deferred;
        await contact.EnqueueAsync([Scheduled(Move())]);
        await Eventually.HoldsAsync(() => Task.FromResult(cluster.Relay.Deferred > deferredBefore), Within);
        Assert.Equal(1, (await contact.GetAsync())!.Waiting);

        cluster.Relay.Deferring = false;
        cluster.Clock.Advance(TimeSpan.FromSeconds(6)); // the second attempt is due 5 s (and up to 10 %) after the first
        await Eventually.HoldsAsync(() => Task.FromResult(To(address).Count == 2), Within);
        var log = (await contact.GetAsync())!.Log;
        Assert.Equal((MailStatus.Sent, 2), (log[^1].Status, log[^1].Attempts));
    }
}
