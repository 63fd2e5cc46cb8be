using System.Collections.Immutable;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Grains.Tenants;

namespace MaintenancePortal.Grains.Fleet;

public sealed class FleetGrain(
    [PersistentState("fleet", StorageNames.Maintenance)] IPersistentState<FleetGrain.FleetRecord> state)
    : Grain, IFleetGrain
{
    public async Task<bool> RegisterAsync(IReadOnlyList<TenantSpec> tenants, IReadOnlyList<DedicatedHostSpec> hosts)
    {
        var record = state.State;
        var newTenants = tenants.Where(t => !record.Tenants.Any(known => known.TenantId == t.TenantId)).ToList();
        var newHosts = hosts.Where(h => !record.HostIds.Contains(h.HostId)).ToList();
        if (newTenants.Count == 0 && newHosts.Count == 0)
        {
            return false;
        }

        record.Tenants = record.Tenants.AddRange(newTenants);
        record.HostIds = record.HostIds.AddRange(newHosts.Select(h => h.HostId));
        record.SpareHostIds = record.SpareHostIds.AddRange(newHosts.Where(h => h.IsSpare).Select(h => h.HostId));
        await state.WriteStateAsync();
        return true;
    }

    public Task<FleetIndex> GetAsync() => Task.FromResult(new FleetIndex(state.State.Tenants, state.State.HostIds,
        state.State.SpareHostIds, state.State.MaintenanceIds));

    public async Task AddMaintenanceAsync(string maintenanceId)
    {
        if (!state.State.MaintenanceIds.Contains(maintenanceId))
        {
            state.State.MaintenanceIds = state.State.MaintenanceIds.Add(maintenanceId);
            await state.WriteStateAsync();
        }
    }

    public async Task<DedicatedHost?> AllocateSpareAsync(InstanceSpec instance)
    {
        foreach (var spareId in state.State.SpareHostIds)
        {
            var spareGrain = GrainFactory.GetGrain<IDedicatedHostGrain>(spareId);
            var spare = await spareGrain.GetAsync();
            if (spare is null || !PlacementPolicy.SpareFits(spare, instance))
            {
                continue;
            }

            // Leave the pool first: a crash after this loses a spare, never gives one to two tenants.
            state.State.SpareHostIds = state.State.SpareHostIds.Remove(spareId);
            await state.WriteStateAsync();
            var assigned = await spareGrain.AssignToAsync(instance.TenantId);
            await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).AddHostAsync(spareId);
            return assigned;
        }

        return null;
    }

    [GenerateSerializer, Alias("MaintenancePortal.FleetRecord")]
    public sealed class FleetRecord
    {
        [Id(0)] public ImmutableList<TenantSpec> Tenants { get; set; } = [];

        [Id(1)] public ImmutableList<string> HostIds { get; set; } = [];

        [Id(2)] public ImmutableList<string> SpareHostIds { get; set; } = [];

        [Id(3)] public ImmutableList<string> MaintenanceIds { get; set; } = [];
    }
}
