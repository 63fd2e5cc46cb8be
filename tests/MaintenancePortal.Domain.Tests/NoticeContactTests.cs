using MaintenancePortal.Domain.Notices;

namespace MaintenancePortal.Domain.Tests;

public sealed class NoticeContactTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static NoticeContact Contact(NoticeCadence cadence = NoticeCadence.Immediate, int hour = 7, string zone = "Europe/Berlin") =>
        NoticeContact.Create("ct-1", "contoso", "ops@contoso.example", [NoticeKind.Scheduled, NoticeKind.RebootFallback], cadence, hour, zone, Now);

    private static string FieldOf(Action create) => Assert.Throws<InvalidRequestException>(create).Field;

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not an address")]
    [InlineData("Ops <ops@contoso.example>")]
    [InlineData("ops@contoso.example, evil@example.com")]
    [InlineData("ops@contoso.example\r\nBcc: evil@example.com")]
    public void An_address_that_is_not_one_plain_address_is_refused(string? address)
    {
        Assert.Equal("address", FieldOf(() => NoticeContact.Create("ct-1", "contoso", address, [NoticeKind.Scheduled], NoticeCadence.Immediate, 7, "UTC", Now)));
        Assert.Equal("address", FieldOf(() => NoticeContact.Create("ct-1", "contoso", new string('a', 250) + "@b.example", [NoticeKind.Scheduled],
            NoticeCadence.Immediate, 7, "UTC", Now)));
    }

    [Fact]
    public void Kinds_cadence_hour_and_zone_are_checked_naming_the_field()
    {
        Assert.Equal("kinds", FieldOf(() => NoticeContact.Create("ct-1", "contoso", "a@b.example", [], NoticeCadence.Immediate, 7, "UTC", Now)));
        Assert.Equal("kinds[1]", FieldOf(() => NoticeContact.Create("ct-1", "contoso", "a@b.example", [NoticeKind.Completed, NoticeKind.Completed],
            NoticeCadence.Immediate, 7, "UTC", Now)));
        Assert.Equal("kinds[0]", FieldOf(() => NoticeContact.Create("ct-1", "contoso", "a@b.example", [(NoticeKind)9], NoticeCadence.Immediate, 7, "UTC", Now)));
        Assert.Equal("cadence", FieldOf(() => NoticeContact.Create("ct-1", "contoso", "a@b.example", [NoticeKind.Completed], (NoticeCadence)5, 7, "UTC", Now)));
        Assert.Equal("digestHour", FieldOf(() => NoticeContact.Create("ct-1", "contoso", "a@b.example", [NoticeKind.Completed], NoticeCadence.Digest, 24, "UTC", Now)));
        Assert.Equal("timeZone", FieldOf(() => NoticeContact.Create("ct-1", "contoso", "a@b.example", [NoticeKind.Completed], NoticeCadence.Digest, 7, "Mars/Base", Now)));
    }

    [Fact]
    public void Only_a_confirmed_contact_takes_the_kinds_it_chose_and_a_bounce_or_unsubscribe_stops_it()
    {
        var contact = Contact();
        Assert.False(contact.Takes(NoticeKind.Scheduled));

        var confirmed = contact.Confirm(Now.AddMinutes(5));
        Assert.True(confirmed.Takes(NoticeKind.Scheduled));
        Assert.False(confirmed.Takes(NoticeKind.Completed));
        Assert.Same(confirmed, confirmed.Confirm(Now.AddMinutes(6)));

        var bounced = confirmed.Bounce("550 5.1.1 no such user");
        Assert.False(bounced.Takes(NoticeKind.Scheduled));
        Assert.True(bounced.Confirm(Now.AddDays(1)).Takes(NoticeKind.Scheduled)); // confirmed again

        var gone = confirmed.Unsubscribe();
        Assert.False(gone.Takes(NoticeKind.Scheduled));
        Assert.Same(gone, gone.Unsubscribe());
        Assert.Throws<DomainException>(() => gone.Confirm(Now.AddDays(2)));
    }

    [Fact]
    public void The_digest_is_due_at_the_contacts_hour_in_its_zone_on_either_side_of_a_clock_change()
    {
        var digest = Contact(NoticeCadence.Digest, hour: 7);

        // 07:00 in Berlin is 06:00 UTC in winter; at 12:00 UTC it is tomorrow's.
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), digest.NextDigestAt(Now));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 6, 0, 0, TimeSpan.Zero), digest.NextDigestAt(new DateTimeOffset(2026, 11, 30, 5, 59, 0, TimeSpan.Zero)));
        // In summer it is 05:00 UTC; at 02:00 on the night the clocks go forward (2026-03-29) it is 03:00 CEST.
        Assert.Equal(new DateTimeOffset(2026, 7, 2, 5, 0, 0, TimeSpan.Zero), digest.NextDigestAt(new DateTimeOffset(2026, 7, 1, 6, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero),
            Contact(NoticeCadence.Digest, hour: 2).NextDigestAt(new DateTimeOffset(2026, 3, 28, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal("2026-11-30 07:00 CET", digest.Show(digest.NextDigestAt(Now)));
    }
}
