using MaintenancePortal.Domain.Webhooks;
using Orleans.Concurrency;

namespace MaintenancePortal.Webhooks.Subscriptions;

/// <summary>A tenant's webhook endpoints, keyed by tenant id: the list, and the fan-out of each event to them.</summary>
public interface IWebhookSubscriptionsGrain : IGrainWithStringKey
{
    /// <summary>The tenant's endpoint ids, oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> GetEndpointIdsAsync();

    /// <summary>Adds an endpoint (created first on its own grain); refused beyond the most a tenant may have.</summary>
    Task AddAsync(string endpointId);

    /// <summary>Removes an endpoint (deleted first on its own grain).</summary>
    Task RemoveAsync(string endpointId);

    /// <summary>Offers messages to every endpoint of the tenant; each queues those it takes. Returns how many were taken in all.</summary>
    [ReadOnly]
    Task<int> DispatchAsync(IReadOnlyList<WebhookMessage> messages);
}
