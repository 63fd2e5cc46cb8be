using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Web.Services;

/// <summary>What a tenant sets for a webhook endpoint, as entered; checked when it is applied.</summary>
/// <param name="EventTypes">Type names or patterns with <c>*</c>; none for every type.</param>
/// <param name="InstanceIds">Only events about these instances; none for all.</param>
public sealed record WebhookEndpointRequest(
    string? Url,
    string? Description,
    IReadOnlyList<string>? EventTypes,
    IReadOnlyList<string>? InstanceIds);

/// <summary>A tenant's webhook endpoints and their deliveries. Every call is for one tenant, and reaches only its endpoints.</summary>
public interface ITenantWebhooks
{
    /// <summary>Whether http:// and loopback URLs are accepted (local development and tests).</summary>
    bool AllowsInsecureUrls { get; }

    /// <summary>The event types an endpoint can select.</summary>
    IReadOnlyCollection<string> EventTypes { get; }

    Task<IReadOnlyList<EndpointOverview>> ListAsync(string tenantId, CancellationToken cancellationToken = default);

    Task<EndpointOverview> GetAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Creates an endpoint and runs the registration check; it is enabled when the check passes.</summary>
    Task<EndpointOverview> CreateAsync(string tenantId, WebhookEndpointRequest request, CancellationToken cancellationToken = default);

    /// <summary>Changes an endpoint; a new URL is checked again before it receives anything.</summary>
    Task<EndpointOverview> UpdateAsync(string tenantId, string endpointId, WebhookEndpointRequest request,
        CancellationToken cancellationToken = default);

    Task DeleteAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Runs the registration check again; enables the endpoint when it passes.</summary>
    Task<EndpointOverview> CheckAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    Task<EndpointOverview> SetEnabledAsync(string tenantId, string endpointId, bool enabled, CancellationToken cancellationToken = default);

    Task<EndpointOverview> RotateSecretAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>The secrets that sign messages now: the current one first, then one being replaced.</summary>
    Task<IReadOnlyList<WebhookSecret>> GetSecretsAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    /// <summary>Queues a test event; returns its message id.</summary>
    Task<string> SendTestEventAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    Task<EndpointDeliveries> GetDeliveriesAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default);

    Task ReplayAsync(string tenantId, string endpointId, string messageId, CancellationToken cancellationToken = default);

    /// <summary>Replays every logged message made since a time (only failed ones, when asked); returns how many.</summary>
    Task<int> ReplaySinceAsync(string tenantId, string endpointId, DateTimeOffset since, bool failedOnly,
        CancellationToken cancellationToken = default);
}
