using System.Collections.Immutable;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Grains;
using MaintenancePortal.Webhooks.Endpoints;

namespace MaintenancePortal.Webhooks.Subscriptions;

/// <summary>
/// The list of a tenant's endpoints. Each endpoint decides for itself whether it takes a message
/// (its state and filters live only there), so this list never has to be kept in step with them.
/// </summary>
public sealed class WebhookSubscriptionsGrain(
    [PersistentState("webhook-subscriptions", StorageNames.Maintenance)] IPersistentState<WebhookSubscriptionsGrain.SubscriptionsRecord> state)
    : Grain, IWebhookSubscriptionsGrain
{
    /// <summary>The most endpoints one tenant may have.</summary>
    public const int MaxEndpoints = 20;

    /// <summary>The refusal of one endpoint more than <see cref="MaxEndpoints"/>.</summary>
    public static DomainException TooMany() => new($"A tenant can have at most {MaxEndpoints} webhook endpoints.");

    public Task<IReadOnlyList<string>> GetEndpointIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.EndpointIds);

    public async Task AddAsync(string endpointId)
    {
        if (state.State.EndpointIds.Contains(endpointId))
        {
            return;
        }

        if (state.State.EndpointIds.Count >= MaxEndpoints)
        {
            throw TooMany();
        }

        state.State.EndpointIds = state.State.EndpointIds.Add(endpointId);
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string endpointId)
    {
        if (state.State.EndpointIds.Contains(endpointId))
        {
            state.State.EndpointIds = state.State.EndpointIds.Remove(endpointId);
            await state.WriteStateAsync();
        }
    }

    public async Task<int> DispatchAsync(IReadOnlyList<WebhookMessage> messages)
    {
        var tenantId = this.GetPrimaryKeyString();
        var taken = await Task.WhenAll(state.State.EndpointIds.Select(id =>
            GrainFactory.GetGrain<IWebhookEndpointGrain>(WebhookEndpointKey.Of(tenantId, id)).EnqueueAsync(messages)));
        return taken.Sum();
    }

    [GenerateSerializer, Alias("MaintenancePortal.WebhookSubscriptionsRecord")]
    public sealed class SubscriptionsRecord
    {
        [Id(0)] public ImmutableList<string> EndpointIds { get; set; } = [];
    }
}
