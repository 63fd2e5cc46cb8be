using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Grains.Notices;

/// <summary>
/// Whether a tenant has a channel that will deliver a move's announcement: a confirmed e-mail
/// contact that takes it (with a relay that really sends), or an enabled webhook endpoint that
/// selects it. For such a tenant a move's notice period counts from the first delivery; for one
/// with none, from when the move appeared in the portal and the metadata service (docs/notices.md).
/// </summary>
public interface INoticeChannels
{
    Task<bool> DeliversAnnouncementAsync(string tenantId, string instanceId, MoveAction action);
}

/// <summary>The channels of a cluster that runs neither e-mail notices nor webhooks: the portal alone gives notice.</summary>
public sealed class PortalOnlyNoticeChannels : INoticeChannels
{
    public Task<bool> DeliversAnnouncementAsync(string tenantId, string instanceId, MoveAction action) => Task.FromResult(false);
}
