using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Server.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Portal;

/// <summary>The tenant pages' reads and requests, answered by the grains; nothing crosses tenants.</summary>
public sealed class OrleansTenantPortal(IGrainFactory grains, AuditRecorder audit) : ITenantPortal
{
    public async Task<IReadOnlyList<TenantSpec>> GetTenantsAsync(CancellationToken cancellationToken = default) =>
        (await grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync()).Tenants;

    public Task<MovePage> QueryMovesAsync(string tenantId, MoveQuery query, string? after, CancellationToken cancellationToken = default) =>
        grains.GetGrain<ITenantMovesGrain>(tenantId).QueryAsync(query, after);

    public async Task<InstanceMove> GetMoveAsync(string tenantId, string moveId, CancellationToken cancellationToken = default)
    {
        var view = await (await OwnInstanceAsync(tenantId, moveId, cancellationToken)).GetAsync();
        return view?.Moves.FirstOrDefault(m => m.MoveId == moveId) ?? throw new NotFoundException($"You have no move {moveId}.");
    }

    public async Task<InstanceMove> RescheduleAsync(string tenantId, string moveId, DateTimeOffset start,
        CancellationToken cancellationToken = default) =>
        await audit.RunAsync(AuditActions.MoveReschedule, tenantId, moveId,
            async () => await (await OwnInstanceAsync(tenantId, moveId, cancellationToken)).RescheduleMoveAsync(moveId, start),
            $"start {start:O}", cancellationToken: cancellationToken);

    public async Task<InstanceMove> ApproveAsync(string tenantId, string moveId, CancellationToken cancellationToken = default) =>
        await audit.RunAsync(AuditActions.MoveApprove, tenantId, moveId,
            async () => await (await OwnInstanceAsync(tenantId, moveId, cancellationToken)).ApproveMoveAsync(moveId),
            cancellationToken: cancellationToken);

    /// <summary>The instance of one of the tenant's own moves: another tenant's move id is answered as unknown.</summary>
    private async Task<IInstanceGrain> OwnInstanceAsync(string tenantId, string moveId, CancellationToken cancellationToken)
    {
        var move = await grains.GetGrain<ITenantMovesGrain>(tenantId).FindAsync(moveId)
                   ?? throw new NotFoundException($"You have no move {moveId}.");
        return grains.GetGrain<IInstanceGrain>(move.InstanceId);
    }

    public async Task<string> GetMetadataTokenAsync(string tenantId, string instanceId, CancellationToken cancellationToken = default) =>
        await (await OwnInstanceByIdAsync(tenantId, instanceId)).GetMetadataTokenAsync();

    public async Task<string> RotateMetadataTokenAsync(string tenantId, string instanceId, CancellationToken cancellationToken = default) =>
        await audit.RunAsync(AuditActions.MetadataAddressRotate, tenantId, instanceId,
            async () => await (await OwnInstanceByIdAsync(tenantId, instanceId)).RotateMetadataTokenAsync(), cancellationToken: cancellationToken);

    public Task<string> GetCalendarTokenAsync(string tenantId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<ITenantGrain>(tenantId).GetCalendarTokenAsync();

    public Task<string> RotateCalendarTokenAsync(string tenantId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.CalendarAddressRotate, tenantId, tenantId, () => grains.GetGrain<ITenantGrain>(tenantId).RotateCalendarTokenAsync(),
            cancellationToken: cancellationToken);

    /// <summary>One of the tenant's own instances: another tenant's instance id is answered as unknown.</summary>
    private async Task<IInstanceGrain> OwnInstanceByIdAsync(string tenantId, string instanceId)
    {
        var instance = grains.GetGrain<IInstanceGrain>(instanceId);
        return (await instance.GetAsync())?.Spec.TenantId == tenantId ? instance : throw new NotFoundException($"You have no instance {instanceId}.");
    }

    public async Task<IReadOnlySet<string>> GetInstanceIdsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        (await grains.GetGrain<ITenantGrain>(tenantId).GetInstanceIdsAsync()).ToHashSet();

    public Task<TenantPreferences> GetPreferencesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<ITenantGrain>(tenantId).GetPreferencesAsync();

    public Task SetPreferencesAsync(string tenantId, TenantPreferences preferences, CancellationToken cancellationToken = default) =>
        audit.RunActionAsync(AuditActions.PreferencesSet, tenantId, tenantId, () => grains.GetGrain<ITenantGrain>(tenantId).SetPreferencesAsync(preferences),
            cancellationToken: cancellationToken);
}
