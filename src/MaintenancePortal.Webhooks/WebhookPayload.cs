using System.Text;
using System.Text.Json;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Webhooks;

/// <summary>
/// The body of a webhook: the event as a CloudEvents 1.0 JSON document (structured mode): <c>id</c>
/// the event's id, <c>type</c> its reverse-DNS name, <c>source</c> the maintenance it belongs to,
/// <c>subject</c> the instance or host, <c>time</c> when it happened, and the event's fields as <c>data</c>.
/// </summary>
public static class WebhookPayload
{
    /// <summary>The content type of every body.</summary>
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>The type of the event "send test event" and the registration check send.</summary>
    public const string TestEventType = LifecycleEventTypes.Prefix + "webhook.test";

    private static readonly JsonSerializerOptions DataOptions = new(JsonSerializerDefaults.Web);
    private static readonly JsonEventFormatter Formatter = new(DataOptions, default);

    /// <summary>The message of a lifecycle event, made once and sent to every endpoint that takes it.</summary>
    public static WebhookMessage MessageOf(IMaintenanceLifecycleEvent @event, DateTimeOffset now)
    {
        var type = LifecycleEventTypes.Of(@event);
        var body = Encode(new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = @event.EventId.ToString(),
            Type = type,
            Source = new Uri($"/maintenance/{Uri.EscapeDataString(@event.MaintenanceId)}", UriKind.Relative),
            Subject = @event.Subject,
            Time = @event.OccurredAt,
            DataContentType = "application/json",
            // Serialized by the formatter, with the web options, as the event's own type.
            Data = @event,
        });
        return WebhookMessage.Create(@event.EventId, type, @event.Subject, body, now) with
        {
            Announces = @event switch
            {
                InstanceMigrationScheduled e => new MoveAnnouncement(e.InstanceId, e.MoveId, MoveAction.LiveMigration),
                InstanceRebootScheduled e => new MoveAnnouncement(e.InstanceId, e.MoveId, MoveAction.RebootMove),
                _ => null,
            },
        };
    }

    /// <summary>A test event for one endpoint, so a tenant can see its receiver accept a signed message.</summary>
    public static WebhookMessage TestMessage(string endpointId, DateTimeOffset now)
    {
        var id = Guid.NewGuid();
        var body = Encode(new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = id.ToString(),
            Type = TestEventType,
            Source = new Uri($"/webhooks/{endpointId}", UriKind.Relative),
            Subject = endpointId,
            Time = now,
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(new { message = "A test event: your endpoint receives signed maintenance events.", endpointId }, DataOptions),
        });
        return WebhookMessage.Create(id, TestEventType, endpointId, body, now);
    }

    private static string Encode(CloudEvent cloudEvent) =>
        Encoding.UTF8.GetString(Formatter.EncodeStructuredModeMessage(cloudEvent, out _).Span);
}
