using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Server.Audit;
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
    TimeProvider time, AuditRecorder audit) : ITenantWebhooks
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

    public Task<EndpointOverview> CreateAsync(string tenantId, WebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        var id = WebhookEndpoint.NewId();
        return audit.RunAsync(AuditActions.WebhookCreate, tenantId, id, () => CreateAsync(tenantId, id, request, cancellationToken),
            cancellationToken: cancellationToken);
    }

    private async Task<EndpointOverview> CreateAsync(string tenantId, string id, WebhookEndpointRequest request, CancellationToken cancellationToken)
    {
        var settings = await SettingsAsync(tenantId, request, cancellationToken);
        // Refused before anything is made; the list refuses it again if another request took the last place meanwhile.
        if ((await Subscriptions(tenantId).GetEndpointIdsAsync()).Count >= WebhookSubscriptionsGrain.MaxEndpoints)
        {
            throw WebhookSubscriptionsGrain.TooMany();
        }

        // The endpoint first, then the list: a failure in between leaves an endpoint nobody lists, which receives nothing.
        var endpoint = Endpoint(tenantId, id);
        await endpoint.CreateAsync(settings);
        await Subscriptions(tenantId).AddAsync(id);
        return await endpoint.CheckAsync();
    }

    public Task<EndpointOverview> UpdateAsync(string tenantId, string endpointId, WebhookEndpointRequest request,
        CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.WebhookUpdate, tenantId, endpointId, async () =>
        {
            var settings = await SettingsAsync(tenantId, request, cancellationToken: cancellationToken);
            var endpoint = Endpoint(tenantId, endpointId);
            var updated = await endpoint.UpdateAsync(settings);
            return updated.Endpoint.Status == EndpointStatus.Unverified ? await endpoint.CheckAsync() : updated;
        }, cancellationToken: cancellationToken);

    public Task DeleteAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        audit.RunActionAsync(AuditActions.WebhookDelete, tenantId, endpointId, async () =>
        {
            // The endpoint first, so nothing more is sent; then the list (a failure in between leaves an id the list skips).
            await Endpoint(tenantId, endpointId).DeleteAsync();
            await Subscriptions(tenantId).RemoveAsync(endpointId);
        }, cancellationToken: cancellationToken);

    public Task<EndpointOverview> CheckAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.WebhookCheck, tenantId, endpointId, () => Endpoint(tenantId, endpointId).CheckAsync(),
            cancellationToken: cancellationToken);

    public Task<EndpointOverview> SetEnabledAsync(string tenantId, string endpointId, bool enabled, CancellationToken cancellationToken = default) =>
        audit.RunAsync(enabled ? AuditActions.WebhookEnable : AuditActions.WebhookDisable, tenantId, endpointId,
            () => Endpoint(tenantId, endpointId).SetEnabledAsync(enabled), cancellationToken: cancellationToken);

    public Task<EndpointOverview> RotateSecretAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.WebhookSecretRotate, tenantId, endpointId, () => Endpoint(tenantId, endpointId).RotateSecretAsync(),
            cancellationToken: cancellationToken);

    public Task<IReadOnlyList<WebhookSecret>> GetSecretsAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.WebhookSecretReveal, tenantId, endpointId,
            async () => (await GetAsync(tenantId, endpointId, cancellationToken)).Endpoint.ValidSecrets(time.GetUtcNow()),
            cancellationToken: cancellationToken);

    public Task<string> SendTestEventAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.WebhookTest, tenantId, endpointId, () => Endpoint(tenantId, endpointId).SendTestEventAsync(),
            cancellationToken: cancellationToken);

    public Task<EndpointDeliveries> GetDeliveriesAsync(string tenantId, string endpointId, CancellationToken cancellationToken = default) =>
        Endpoint(tenantId, endpointId).GetDeliveriesAsync();

    public Task ReplayAsync(string tenantId, string endpointId, string messageId, CancellationToken cancellationToken = default) =>
        audit.RunActionAsync(AuditActions.WebhookReplay, tenantId, endpointId, () => Endpoint(tenantId, endpointId).ReplayAsync(messageId),
            $"message {messageId}", cancellationToken);

    public Task<int> ReplaySinceAsync(string tenantId, string endpointId, DateTimeOffset since, bool failedOnly,
        CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.WebhookReplay, tenantId, endpointId, () => Endpoint(tenantId, endpointId).ReplaySinceAsync(since, failedOnly),
            $"since {since:O}{(failedOnly ? ", failed only" : "")}", cancellationToken: cancellationToken);

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
