using MaintenancePortal.Domain.Webhooks;
using Orleans.Concurrency;

namespace MaintenancePortal.Webhooks.Endpoints;

/// <summary>
/// One webhook endpoint of one tenant, keyed <c>{tenantId}/{endpointId}</c> (see
/// <see cref="WebhookEndpointKey"/>), so a tenant can only ever name its own. It holds the
/// endpoint's settings and secrets, its waiting messages and its delivery log, and drives the
/// attempts and retries. Every call except <see cref="CreateAsync"/> on an endpoint that does not
/// exist is refused as not found.
/// </summary>
public interface IWebhookEndpointGrain : IGrainWithStringKey
{
    /// <summary>The endpoint, or null when it does not exist.</summary>
    [ReadOnly]
    Task<EndpointOverview?> GetAsync();

    /// <summary>Creates the endpoint with a new secret; it receives nothing until the registration check passes.</summary>
    Task<EndpointOverview> CreateAsync(EndpointSettings settings);

    /// <summary>New settings; a new URL must pass the registration check again.</summary>
    Task<EndpointOverview> UpdateAsync(EndpointSettings settings);

    /// <summary>Deletes the endpoint: waiting messages are dropped, nothing more is sent.</summary>
    Task DeleteAsync();

    /// <summary>Runs the registration check on the URL and enables the endpoint when it passes.</summary>
    Task<EndpointOverview> CheckAsync();

    /// <summary>Enables (only after a passed registration check) or disables the endpoint.</summary>
    Task<EndpointOverview> SetEnabledAsync(bool enabled);

    /// <summary>A new secret; the old one keeps signing, next to it, for the grace period.</summary>
    Task<EndpointOverview> RotateSecretAsync();

    /// <summary>
    /// Queues the messages the endpoint takes (enabled, and their type and subject selected), in
    /// one stored change; returns how many it took (including any it had already).
    /// </summary>
    Task<int> EnqueueAsync(IReadOnlyList<WebhookMessage> messages);

    /// <summary>Queues a test event for the (enabled) endpoint; returns its message id.</summary>
    Task<string> SendTestEventAsync();

    /// <summary>Queues a finished message again, with the same id and body.</summary>
    Task ReplayAsync(string messageId);

    /// <summary>Queues again every finished message made since a time (only those not delivered, when asked); returns how many.</summary>
    Task<int> ReplaySinceAsync(DateTimeOffset since, bool failedOnly);

    /// <summary>The waiting messages and the log: finished messages, attempts, notices.</summary>
    [ReadOnly]
    Task<EndpointDeliveries> GetDeliveriesAsync();

    /// <summary>Starts the attempts that are due (the wake-up timer and the reminder call it).</summary>
    Task DeliverDueAsync();

    /// <summary>The results of attempts the endpoint started, as they came back.</summary>
    Task RecordAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts);
}

/// <summary>The key of an endpoint grain: the tenant and the endpoint id.</summary>
public static class WebhookEndpointKey
{
    public static string Of(string tenantId, string endpointId) => $"{tenantId}/{endpointId}";

    public static (string TenantId, string EndpointId) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
