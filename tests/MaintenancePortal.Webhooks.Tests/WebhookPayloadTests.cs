using System.Text;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using MaintenancePortal.Contracts;

namespace MaintenancePortal.Webhooks.Tests;

/// <summary>The body of a webhook is a CloudEvents 1.0 JSON document that the CloudEvents SDK reads back.</summary>
public sealed class WebhookPayloadTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_lifecycle_event_becomes_a_structured_cloud_event_with_its_id_type_source_subject_and_time()
    {
        var @event = new InstanceMigrationCompleted(Guid.NewGuid(), At, "contoso", "mnt-1", "mv-1", "i-1", "10.0.0.7", "h-1", "h-2",
            42.5, TimeSpan.FromSeconds(12), 4, 1_000_000, "PreCopy", 0);

        var message = WebhookPayload.MessageOf(@event, At.AddSeconds(1));
        var decoded = new JsonEventFormatter().DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(message.Body), null, null);

        Assert.Equal(CloudEventsSpecVersion.V1_0, decoded.SpecVersion);
        Assert.Equal(@event.EventId.ToString(), decoded.Id);
        Assert.Equal("com.maintenanceportal.instance.migration.completed", decoded.Type);
        Assert.Equal(new Uri("/maintenance/mnt-1", UriKind.Relative), decoded.Source);
        Assert.Equal("i-1", decoded.Subject);
        Assert.Equal(At, decoded.Time);
        Assert.Equal("application/json", decoded.DataContentType);
        Assert.Contains("\"downtimeMs\":42.5", decoded.Data!.ToString(), StringComparison.Ordinal);
        Assert.Equal(("msg_" + @event.EventId.ToString("N"), decoded.Type, "i-1"), (message.MessageId, message.EventType, message.Subject));
    }

    [Fact]
    public void The_same_event_makes_the_same_message_id()
    {
        var @event = new HostDrained(Guid.NewGuid(), At, "contoso", "mnt-1", "h-1", 3);

        Assert.Equal(WebhookPayload.MessageOf(@event, At).MessageId, WebhookPayload.MessageOf(@event, At.AddMinutes(5)).MessageId);
    }

    [Fact]
    public void A_test_event_names_its_endpoint()
    {
        var message = WebhookPayload.TestMessage("ep_1", At);
        var decoded = new JsonEventFormatter().DecodeStructuredModeMessage(Encoding.UTF8.GetBytes(message.Body), null, null);

        Assert.Equal(WebhookPayload.TestEventType, decoded.Type);
        Assert.Equal("ep_1", decoded.Subject);
    }
}
