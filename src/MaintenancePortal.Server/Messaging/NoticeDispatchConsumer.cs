using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Notices.Contacts;
using MassTransit;

namespace MaintenancePortal.Server.Messaging;

/// <summary>
/// Turns lifecycle events into notices for the tenants' e-mail contacts (docs/notices.md): a move
/// announced (live, or by a reboot), a deadline at risk, a move completed (with its receipt), a move
/// cancelled. Each notice carries the move as its instance holds it when the event is handled. In
/// batches, each tenant's notices go to its contacts in one call, and the batch is acknowledged only
/// once every contact stored what it took. One shared queue across the servers; a redelivered event
/// makes the same notice id, which a contact does not take twice.
/// </summary>
public sealed class NoticeDispatchConsumer(IGrainFactory grains) : IConsumer<Batch<IMaintenanceLifecycleEvent>>
{
    public async Task Consume(ConsumeContext<Batch<IMaintenanceLifecycleEvent>> context)
    {
        var notices = await Task.WhenAll(context.Message.Select(LifecycleEventMessages.Concrete).Select(NoticeOfAsync));
        await Task.WhenAll(notices.OfType<Notice>()
            .GroupBy(n => n.TenantId, StringComparer.Ordinal)
            .Select(tenant => grains.GetGrain<INoticeContactsGrain>(tenant.Key).DispatchAsync([.. tenant])));
    }

    private Task<Notice?> NoticeOfAsync(IMaintenanceLifecycleEvent @event) => @event switch
    {
        InstanceMigrationScheduled e => AboutMoveAsync(e, e.InstanceId, e.MoveId, move => Notice.AnnouncementOf(move.Action)),
        InstanceRebootScheduled e => AboutMoveAsync(e, e.InstanceId, e.MoveId, move => Notice.AnnouncementOf(move.Action)),
        InstanceMigrationCompleted e => AboutMoveAsync(e, e.InstanceId, e.MoveId, _ => NoticeKind.Completed),
        InstanceRebootCompleted e => AboutMoveAsync(e, e.InstanceId, e.MoveId, _ => NoticeKind.Completed),
        InstanceMoveCancelled e => AboutMoveAsync(e, e.InstanceId, e.MoveId, _ => NoticeKind.Cancelled, e.Why),
        SlaAtRisk e => AtRiskAsync(e),
        _ => Task.FromResult<Notice?>(null),
    };

    /// <summary>A notice about a move, as its instance holds it now (an announcement's kind follows how the move is now to be made).</summary>
    private async Task<Notice?> AboutMoveAsync(IMaintenanceLifecycleEvent @event, string instanceId, string moveId,
        Func<InstanceMove, NoticeKind> kind, string? detail = null) =>
        await MoveAsync(instanceId, m => m.MoveId == moveId) is { } move
            ? Notice.Of(@event.EventId, kind(move), @event.OccurredAt, MoveSummary.Of(move), detail ?? move.Why, move.Receipt)
            : null;

    /// <summary>An instance at risk: its move, or none when no host had room for it.</summary>
    private async Task<Notice?> AtRiskAsync(SlaAtRisk risk) =>
        await MoveAsync(risk.InstanceId, m => m.MaintenanceId == risk.MaintenanceId) is { } move
            ? Notice.Of(risk.EventId, NoticeKind.SlaAtRisk, risk.OccurredAt, MoveSummary.Of(move), risk.Why)
            : new Notice(risk.EventId.ToString("N"), NoticeKind.SlaAtRisk, risk.OccurredAt, risk.TenantId, risk.InstanceId,
                risk.MaintenanceId, risk.Deadline, null, null, risk.Why);

    private async Task<InstanceMove?> MoveAsync(string instanceId, Func<InstanceMove, bool> which) =>
        (await grains.GetGrain<IInstanceGrain>(instanceId).GetAsync())?.Moves.LastOrDefault(which);
}

/// <summary>Batches and retries as for webhooks: <see cref="LifecycleBatchDefinition{TConsumer}"/>.</summary>
public sealed class NoticeDispatchConsumerDefinition : LifecycleBatchDefinition<NoticeDispatchConsumer>;
