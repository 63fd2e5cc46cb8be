using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>
/// Webhook endpoints per tenant in memory, changed through the domain. The registration check
/// passes for hosts named "good…" and fails for others; each call records the tenant it was for.
/// </summary>
public sealed class TestTenantWebhooks : ITenantWebhooks
{
    public static readonly string[] Types = ["com.maintenanceportal.host.drained", "com.maintenanceportal.instance.migration.completed"];

    public Dictionary<(string Tenant, string Id), (WebhookEndpoint Endpoint, EndpointDeliveries Deliveries)> Endpoints { get; } = [];

    public List<string> Calls { get; } = [];

    public DateTimeOffset Now { get; set; } = Moves.Now;

    public bool AllowsInsecureUrls => false;

    public IReadOnlyCollection<string> EventTypes => Types;

    public (WebhookEndpoint Endpoint, EndpointDeliveries Deliveries) Add(string tenantId, string url, EndpointDeliveries? deliveries = null)
    {
        var endpoint = WebhookEndpoint.Create(WebhookEndpoint.NewId(), tenantId,
            EndpointSettings.Create(new Uri(url), "", EventTypeFilter.All, null), Now).Verified();
        return Endpoints[(tenantId, endpoint.EndpointId)] = (endpoint, deliveries ?? EndpointDeliveries.Empty);
    }

    public Task<IReadOnlyList<EndpointOverview>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        Calls.Add(tenantId);
        return Task.FromResult<IReadOnlyList<EndpointOverview>>(
            [.. Endpoints.Where(e => e.Key.Tenant == tenantId).Select(e => EndpointOverview.Of(e.Value.Endpoint, e.Value.Deliveries))]);
    }

    public Task<EndpointOverview> GetAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default)
    {
        var (endpoint, deliveries) = Find(tenantId, endpointId);
        return Task.FromResult(EndpointOverview.Of(endpoint, deliveries));
    }

    public Task<EndpointOverview> CreateAsync(string tenantId, WebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        Calls.Add(tenantId);
        var settings = EndpointSettings.Create(WebhookUrl.Parse(request.Url, AllowsInsecureUrls), request.Description,
            EventTypeFilter.Parse(request.EventTypes, Types), request.InstanceIds);
        var created = WebhookEndpoint.Create(WebhookEndpoint.NewId(), tenantId, settings, Now);
        created = settings.Url.Host.StartsWith("good", StringComparison.Ordinal) ? created.Verified() : created.VerificationFailed("404");
        Endpoints[(tenantId, created.EndpointId)] = (created, EndpointDeliveries.Empty);
        return Task.FromResult(EndpointOverview.Of(created, EndpointDeliveries.Empty));
    }

    public Task<EndpointOverview> UpdateAsync(string tenantId, string endpointId, WebhookEndpointRequest request,
        CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task DeleteAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default)
    {
        Find(tenantId, endpointId);
        Endpoints.Remove((tenantId, endpointId));
        return Task.CompletedTask;
    }

    public Task<EndpointOverview> CheckAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        GetAsync(tenantId, endpointId, cancellationToken);

    public Task<EndpointOverview> SetEnabledAsync(string tenantId, string endpointId, bool enabled, CancellationToken cancellationToken = default) =>
        Change(tenantId, endpointId, e => enabled ? e.Enable() : e.Disable("Disabled by the tenant."));

    public Task<EndpointOverview> RotateSecretAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Change(tenantId, endpointId, e => e.RotateSecret(Now));

    public Task<IReadOnlyList<WebhookSecret>> GetSecretsAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(tenantId, endpointId).Endpoint.ValidSecrets(Now));

    public Task<string> SendTestEventAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Task.FromResult("msg_test");

    public Task<EndpointDeliveries> GetDeliveriesAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Find(tenantId, endpointId).Deliveries);

    public Task ReplayAsync(string tenantId, string endpointId, string messageId, CancellationToken cancellationToken = default)
    {
        var (endpoint, deliveries) = Find(tenantId, endpointId);
        Endpoints[(tenantId, endpointId)] = (endpoint, deliveries.Replay(messageId, Now));
        return Task.CompletedTask;
    }

    public Task<int> ReplaySinceAsync(string tenantId, string endpointId, DateTimeOffset since, bool failedOnly,
        CancellationToken cancellationToken = default)
    {
        var (endpoint, deliveries) = Find(tenantId, endpointId);
        Endpoints[(tenantId, endpointId)] = (endpoint, deliveries.ReplaySince(since, failedOnly, Now, out var count));
        return Task.FromResult(count);
    }

    private Task<EndpointOverview> Change(string tenantId, string endpointId, Func<WebhookEndpoint, WebhookEndpoint> change)
    {
        var (endpoint, deliveries) = Find(tenantId, endpointId);
        var changed = change(endpoint);
        Endpoints[(tenantId, endpointId)] = (changed, deliveries);
        return Task.FromResult(EndpointOverview.Of(changed, deliveries));
    }

    private (WebhookEndpoint Endpoint, EndpointDeliveries Deliveries) Find(string tenantId, string endpointId)
    {
        Calls.Add(tenantId);
        return Endpoints.TryGetValue((tenantId, endpointId), out var found) ? found : throw new NotFoundException($"You have no webhook endpoint {endpointId}.");
    }
}
