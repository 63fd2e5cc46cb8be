using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Server.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Portal;

/// <summary>The operator console's reads and commands, answered by the grains.</summary>
public sealed class OrleansOperatorConsole(IGrainFactory grains, TimeProvider time, AuditRecorder audit) : IOperatorConsole
{
    public async Task<IReadOnlyList<DedicatedHost>> GetHostsAsync(CancellationToken cancellationToken = default)
    {
        var index = await grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync();
        var hosts = await Task.WhenAll(index.HostIds.Select(id => grains.GetGrain<IDedicatedHostGrain>(id).GetAsync()));
        return hosts.OfType<DedicatedHost>().OrderBy(h => h.HostId, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<MaintenanceEvent>> GetMaintenanceEventsAsync(CancellationToken cancellationToken = default)
    {
        var index = await grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync();
        var events = await Task.WhenAll(index.MaintenanceIds.Select(id => grains.GetGrain<IMaintenanceEventGrain>(id).GetAsync()));
        return events.OfType<MaintenanceEvent>().OrderByDescending(e => e.TriggeredAt).ToList();
    }

    public async Task<MaintenanceEvent?> GetMaintenanceEventAsync(string maintenanceId, CancellationToken cancellationToken = default)
    {
        // Only ids the fleet knows: asking the grain of any other id would create an empty activation.
        var index = await grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync();
        return index.MaintenanceIds.Contains(maintenanceId)
            ? await grains.GetGrain<IMaintenanceEventGrain>(maintenanceId).GetAsync()
            : null;
    }

    public Task<MaintenanceEvent> CancelMaintenanceAsync(string maintenanceId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.MaintenanceCancel, null, maintenanceId,
            async () => await (await KnownMaintenanceAsync(maintenanceId)).CancelAsync(), cancellationToken: cancellationToken);

    public Task<MaintenanceEvent> CompleteMaintenanceAsync(string maintenanceId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.MaintenanceComplete, null, maintenanceId,
            async () => await (await KnownMaintenanceAsync(maintenanceId)).CompleteAsync(), cancellationToken: cancellationToken);

    public Task AbortMigrationAsync(string instanceId, CancellationToken cancellationToken = default) =>
        audit.RunActionAsync(AuditActions.MigrationAbort, null, instanceId, async () =>
        {
            var (instance, move) = await ActiveMoveAsync(instanceId);
            await instance.AbortMoveAsync(move.MoveId, "Aborted by an operator.");
        }, cancellationToken: cancellationToken);

    public Task ForceCompleteMigrationAsync(string instanceId, ForceCompletion mode, CancellationToken cancellationToken = default) =>
        audit.RunActionAsync(AuditActions.MigrationForceComplete, null, instanceId, async () =>
        {
            var (instance, move) = await ActiveMoveAsync(instanceId);
            await instance.ForceCompleteMoveAsync(move.MoveId, mode);
        }, mode.ToString(), cancellationToken);

    private async Task<IMaintenanceEventGrain> KnownMaintenanceAsync(string maintenanceId) =>
        await GetMaintenanceEventAsync(maintenanceId) is not null
            ? grains.GetGrain<IMaintenanceEventGrain>(maintenanceId)
            : throw new NotFoundException($"Maintenance {maintenanceId} does not exist.");

    private async Task<(IInstanceGrain Instance, InstanceMove Move)> ActiveMoveAsync(string instanceId)
    {
        var instance = grains.GetGrain<IInstanceGrain>(instanceId);
        var view = await instance.GetAsync() ?? throw new NotFoundException($"Instance {instanceId} does not exist.");
        var move = view.Moves.LastOrDefault(m => m.State == MoveState.Migrating)
                   ?? throw new DomainException($"Instance {instanceId} has no migration running.");
        return (instance, move);
    }

    public Task<MaintenanceEvent> StartMaintenanceAsync(string hostId, MaintenanceReason reason,
        CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.MaintenanceStart, null, hostId, async () =>
        {
            if (await grains.GetGrain<IDedicatedHostGrain>(hostId).GetAsync() is null)
            {
                throw new NotFoundException($"Host {hostId} does not exist.");
            }

            var maintenanceId = $"mnt-{time.GetUtcNow():yyyyMMdd}-{Guid.NewGuid():N}"[..21];
            return await grains.GetGrain<IMaintenanceEventGrain>(maintenanceId).StartAsync(hostId, reason);
        }, $"host {hostId}, {reason}", targetOf: started => started.MaintenanceId, cancellationToken: cancellationToken);
}
