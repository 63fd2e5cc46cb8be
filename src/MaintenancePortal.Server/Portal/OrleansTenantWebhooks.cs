using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Web.Services;
using MaintenancePortal.Webhooks;
using MaintenancePortal.Webhooks.Endpoints;
using MaintenancePortal.Webhooks.Subscriptions;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Portal;

/// <summary>
/// The tenant's webhook endpoints, answered by the endpoint grains. An endpoint grain is keyed by
/// the tenant as well as the endpoint, so another tenant's endpoint id reaches nothing.
/// </summary>
public sealed class OrleansTenantWebhooks(IGrainFactory grains, ITenantPortal tenants, IOptions<WebhookOptions> options,
    TimeProvider time) : ITenantWebhooks
{
    public bool AllowsInsecureUrls { get; } = options.Value.AllowInsecureUrls == true;

    public IReadOnlyCollection<string> EventTypes => LifecycleEventTypes.All;

    public async Task<IReadOnlyList<EndpointOverview>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var ids = await Subscriptions(tenantId).GetEndpointIdsAsync();
        var endpoints = await Task.WhenAll(ids.Select(id => Endpoint(tenantId, id).GetAsync()));
        return [.. endpoints.OfType<EndpointOverview>()];
    }

    public async Task<EndpointOverview> GetAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        await Endpoint(tenantId, endpointId).GetAsync() ?? throw Unknown(endpointId);

    public async Task<EndpointOverview> CreateAsync(string tenantId, WebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(tenantId, request, cancellationToken);
        // Refused before anything is made; the list refuses it again if another request took the last place meanwhile.
        if ((await Subscriptions(tenantId).GetEndpointIdsAsync()).Count >= WebhookSubscriptionsGrain.MaxEndpoints)
        {
            throw WebhookSubscriptionsGrain.TooMany();
        }

        // The endpoint first, then the list: a failure in between leaves an endpoint nobody lists, which receives nothing.
        var id = WebhookEndpoint.NewId();
        var endpoint = Endpoint(tenantId, id);
        await endpoint.CreateAsync(settings);
        await Subscriptions(tenantId).AddAsync(id);
        return await endpoint.CheckAsync();
    }

    public async Task<EndpointOverview> UpdateAsync(string tenantId, string endpointId, WebhookEndpointRequest request,
        CancellationToken cancellationToken = default)
    {
        var settings = await SettingsAsync(tenantId, request, cancellationToken);
        var endpoint = Endpoint(tenantId, endpointId);
        var updated = await endpoint.UpdateAsync(settings);
        return updated.Endpoint.Status == EndpointStatus.Unverified ? await endpoint.CheckAsync() : updated;
    }

    public async Task DeleteAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default)
    {
        // The endpoint first, so nothing more is sent; then the list (a failure in between leaves an id the list skips).
        await Endpoint(tenantId, endpointId).DeleteAsync();
        await Subscriptions(tenantId).RemoveAsync(endpointId);
    }

    public Task<EndpointOverview> CheckAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).CheckAsync();

    public Task<EndpointOverview> SetEnabledAsync(string tenantId, string endpointId, bool enabled, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).SetEnabledAsync(enabled);

    public Task<EndpointOverview> RotateSecretAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).RotateSecretAsync();

    public async Task<IReadOnlyList<WebhookSecret>> GetSecretsAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        (await GetAsync(tenantId, endpointId, cancellationToken)).Endpoint.ValidSecrets(time.GetUtcNow());

    public Task<string> SendTestEventAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).SendTestEventAsync();

    public Task<EndpointDeliveries> GetDeliveriesAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).GetDeliveriesAsync();

    public Task ReplayAsync(string tenantId, string endpointId, string messageId, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).ReplayAsync(messageId);

    public Task<int> ReplaySinceAsync(string tenantId, string endpointId, DateTimeOffset since, bool failedOnly,
        CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).ReplaySinceAsync(since, failedOnly);

    private async Task<EndpointSettings> SettingsAsync(string tenantId, WebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        var url = WebhookUrl.Parse(request.Url, AllowsInsecureUrls);
        var types = EventTypeFilter.Parse(request.EventTypes, LifecycleEventTypes.All);
        if (request.InstanceIds is { Count: > 0 } instanceIds)
        {
            var own = await tenants.GetInstanceIdsAsync(tenantId, cancellationToken);
            if (instanceIds.FirstOrDefault(id => !own.Contains(id)) is { } unknown)
            {
                throw new InvalidRequestException("instanceIds", $"You have no instance {unknown}.");
            }
        }

        return EndpointSettings.Create(url, request.Description, types, request.InstanceIds);
    }

    private IWebhookSubscriptionsGrain Subscriptions(string tenantId) => grains.GetGrain<IWebhookSubscriptionsGrain>(tenantId);

    /// <summary>The tenant's endpoint grain; an id that is not of the endpoint form names nothing.</summary>
    private IWebhookEndpointGrain Endpoint(string tenantId, string endpointId) =>
        WebhookEndpoint.IsWellFormedId(endpointId)
            ? grains.GetGrain<IWebhookEndpointGrain>(WebhookEndpointKey.Of(tenantId, endpointId))
            : throw Unknown(endpointId);

    private static NotFoundException Unknown(string endpointId) => new($"You have no webhook endpoint {endpointId}.");
}
