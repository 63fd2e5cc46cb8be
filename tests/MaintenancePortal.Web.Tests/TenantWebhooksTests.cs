using Bunit;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Web.Components.Pages;

namespace MaintenancePortal.Web.Tests;

public sealed class TenantWebhooksTests : PortalTestContext
{
    public TenantWebhooksTests()
    {
        SignInAsTenant("contoso", "Contoso");
    }

    [Fact]
    public void Render_ListsOnlyTheTenantsEndpointsWithTheirNotices()
    {
        var exhausted = EndpointDeliveries.Empty.Notify(Moves.Now, WebhookNoticeKind.MessageExhausted, "Gave up on msg_1 (com.maintenanceportal.host.drained) after 8 attempts.");
        Webhooks.Add("contoso", "https://hooks.contoso.example/maintenance", exhausted);
        Webhooks.Add("fabrikam", "https://hooks.fabrikam.example/secret");

        var cut = Render<TenantWebhooks>();

        var row = cut.Find("[data-testid=endpoint-row]");
        Assert.Equal("Enabled", row.GetAttribute("data-status"));
        Assert.Contains("hooks.contoso.example", row.TextContent);
        Assert.DoesNotContain("fabrikam", cut.Markup);
        Assert.Contains("Gave up on msg_1", cut.Find("[data-testid=webhook-notice]").TextContent);
        Assert.Equal(["contoso"], Webhooks.Calls.Distinct());
    }

    [Fact]
    public void Save_WithAnInternalUrl_ShowsWhyAndAddsNothing()
    {
        var cut = Render<TenantWebhooks>();

        cut.Find("#webhook-url").Change("https://169.254.169.254/latest/meta-data");
        cut.Find("[data-testid=save-endpoint]").Click();

        cut.WaitForAssertion(() => Assert.Contains("link-local", cut.Find("[data-testid=endpoint-error]").TextContent));
        Assert.Empty(Webhooks.Endpoints);
        Assert.NotNull(cut.Find("[data-testid=no-endpoints]"));
    }

    [Fact]
    public void Save_AnEndpointThatFailsTheCheck_ListsItAsUnverifiedWithTheReason()
    {
        var cut = Render<TenantWebhooks>();

        cut.Find("#webhook-url").Change("https://hooks.contoso.example/maintenance");
        cut.Find("#webhook-event-types").Change("*.drained");
        cut.Find("[data-testid=save-endpoint]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Unverified", cut.Find("[data-testid=endpoint-row]").GetAttribute("data-status")));
        Assert.Contains("404", cut.Find("[data-testid=status-reason]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=check]"));
    }

    [Fact]
    public void Replay_FromTheDeliveryLog_QueuesTheMessageAgain()
    {
        var message = WebhookMessage.Create(Guid.NewGuid(), TestTenantWebhooks.Types[0], "h-1", "{}", Moves.Now);
        var delivered = EndpointDeliveries.Empty.Enqueue(message)
            .Record(DeliveryAttempt.Answered(message.MessageId, 1, Moves.Now, 204, TimeSpan.FromMilliseconds(3), null, null), 0);
        var (endpoint, _) = Webhooks.Add("contoso", "https://hooks.contoso.example/maintenance", delivered);
        var cut = Render<TenantWebhooks>();

        cut.Find("[data-testid=show-deliveries]").Click();
        cut.WaitForAssertion(() => Assert.Equal("204", cut.Find("[data-testid=attempt-row]").GetAttribute("data-status")));
        cut.Find($"tr[data-message='{message.MessageId}'] [data-testid=replay]").Click();

        cut.WaitForAssertion(() =>
            Assert.Equal("Pending", cut.Find($"tr[data-testid=message-row][data-message='{message.MessageId}']").GetAttribute("data-status")));
        Assert.Single(Webhooks.Endpoints[("contoso", endpoint.EndpointId)].Deliveries.Pending);
    }
}
