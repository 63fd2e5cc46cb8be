using Bunit;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Web.Components.Pages;

namespace MaintenancePortal.Web.Tests;

public sealed class TenantNoticesTests : PortalTestContext
{
    public TenantNoticesTests()
    {
        SignInAsTenant("contoso", "Contoso");
    }

    [Fact]
    public void Adding_an_address_as_typed_with_the_kinds_and_a_digest_hour_picked_sends_its_link_and_lists_it_unconfirmed()
    {
        var cut = Render<TenantNotices>();

        cut.Find("#contact-address").Change("  ops@contoso.example ");
        cut.Find("#contact-zone").Change("Asia/Tokyo");
        cut.Find("[data-testid=kind-Completed]").Change(true);
        cut.Find("[data-testid=kind-SlaAtRisk]").Change(false);
        cut.Find("[data-testid=cadence-digest]").Change(true);
        cut.Find("#contact-hour").Change("7");
        cut.Find("[data-testid=save-contact]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Unconfirmed", cut.Find("[data-testid=contact]").GetAttribute("data-state")));
        var contact = Assert.Single(Notices.Contacts).Value.Contact;
        Assert.Equal(("ops@contoso.example", "Asia/Tokyo", NoticeCadence.Digest, 7), (contact.Address, contact.TimeZone, contact.Cadence, contact.DigestHour));
        Assert.Equal([NoticeKind.Scheduled, NoticeKind.RebootFallback, NoticeKind.Completed], contact.Kinds);
        Assert.Contains("daily at 07:00", cut.Find("[data-testid=contact]").TextContent);
    }

    [Fact]
    public void A_refused_address_says_which_field_and_adds_nothing()
    {
        var cut = Render<TenantNotices>();

        cut.Find("#contact-address").Change("Ops <ops@contoso.example>");
        cut.Find("[data-testid=save-contact]").Click();

        cut.WaitForAssertion(() => Assert.Contains("plain e-mail address", cut.Find("[data-testid=contact-error]").TextContent));
        Assert.Empty(Notices.Contacts);
    }

    [Fact]
    public void Only_the_tenants_own_contacts_are_listed_and_a_server_without_a_relay_says_notices_are_not_sent()
    {
        Notices.Sends = false;
        Notices.CreateAsync("fabrikam", new ContactSettings("ops@fabrikam.example", [NoticeKind.Scheduled], NoticeCadence.Immediate, 8, "UTC"),
            Xunit.TestContext.Current.CancellationToken);

        var cut = Render<TenantNotices>();

        Assert.NotNull(cut.Find("[data-testid=notices-not-sent]"));
        Assert.NotNull(cut.Find("[data-testid=no-contacts]"));
        Assert.DoesNotContain("fabrikam", cut.Markup);
        Assert.Equal(["contoso"], Notices.Calls.Where(c => c != "fabrikam").Distinct());
    }
}
