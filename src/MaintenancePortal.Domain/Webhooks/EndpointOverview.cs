using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>An endpoint as its tenant sees it in a list: settings and state, what waits, and the latest notices.</summary>
/// <param name="Waiting">Messages waiting for an attempt, those in the backlog included.</param>
/// <param name="NextAttemptAt">When the earliest waiting message is tried, if any waits.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.EndpointOverview")]
public sealed record EndpointOverview(
    [property: Id(0)] WebhookEndpoint Endpoint,
    [property: Id(1)] int Waiting,
    [property: Id(2)] DateTimeOffset? NextAttemptAt,
    [property: Id(3)] ImmutableList<WebhookNotice> Notices)
{
    public static EndpointOverview Of(WebhookEndpoint endpoint, EndpointDeliveries deliveries, int backlogged = 0) =>
        new(endpoint, deliveries.Pending.Count + backlogged, deliveries.NextDueAt, deliveries.Notices);
}
