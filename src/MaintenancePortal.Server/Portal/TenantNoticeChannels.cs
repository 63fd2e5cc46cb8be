using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Grains.Notices;
using MaintenancePortal.Notices.Contacts;
using MaintenancePortal.Notices.Delivery;
using MaintenancePortal.Webhooks.Endpoints;
using MaintenancePortal.Webhooks.Subscriptions;

namespace MaintenancePortal.Server.Portal;

/// <summary>
/// A tenant's channels for a move's announcement: a confirmed e-mail contact that takes it (when
/// the relay really sends), or an enabled webhook endpoint that selects its event for the instance.
/// </summary>
public sealed class TenantNoticeChannels(IGrainFactory grains, IMailRelay relay) : INoticeChannels
{
    public async Task<bool> DeliversAnnouncementAsync(string tenantId, string instanceId, MoveAction action)
    {
        if (relay.Delivers && await grains.GetGrain<INoticeContactsGrain>(tenantId).AnyTakesAsync(Notice.AnnouncementOf(action)))
        {
            return true;
        }

        var eventType = action == MoveAction.RebootMove
            ? LifecycleEventTypes.Of<InstanceRebootScheduled>()
            : LifecycleEventTypes.Of<InstanceMigrationScheduled>();
        var endpointIds = await grains.GetGrain<IWebhookSubscriptionsGrain>(tenantId).GetEndpointIdsAsync();
        var endpoints = await Task.WhenAll(endpointIds.Select(id =>
            grains.GetGrain<IWebhookEndpointGrain>(WebhookEndpointKey.Of(tenantId, id)).GetAsync()));
        return endpoints.Any(e => e?.Endpoint.Selects(eventType, instanceId) == true);
    }
}
