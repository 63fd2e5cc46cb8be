using System.Collections.Immutable;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Grains.Outbox;
using Microsoft.Extensions.Logging;

namespace MaintenancePortal.Grains.Fleet;

public sealed class FleetGrain(
    [PersistentState("fleet", StorageNames.Maintenance)] IPersistentState<FleetGrain.FleetRecord> state,
    ILogger<FleetGrain> logger)
    : Grain, IFleetGrain, IRemindable
{
    private OwedWork? _owed;

    /// <summary>What a spare's allocation owes: the host and the tenant take it.</summary>
    private OwedWork Owed => _owed ??= new OwedWork(this, logger, () => state.WriteOrReloadAsync(this),
        FollowUp.Outbox(GrainFactory, logger, () => state.State.FollowUps, pending => state.State.FollowUps = pending));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Owed.OnActivate();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Owed.OnReminderAsync(reminderName);

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

            // Leaving the pool and the assignment are one write: the spare goes to this tenant (and
            // only this one) even if a crash or a failed call comes after it. Until it is assigned
            // the caller is told there is no room; it asks again, and finds the tenant's new host.
            await Owed.PromiseAsync();
            state.State.SpareHostIds = state.State.SpareHostIds.Remove(spareId);
            state.State.FollowUps = state.State.FollowUps.AddRange(
                [new SpareAssignmentFollowUp(spareId, instance.TenantId), new TenantHostFollowUp(instance.TenantId, spareId)]);
            await state.WriteOrReloadAsync(this);
            return await Owed.SettleAsync() ? await spareGrain.GetAsync() : null;
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

        /// <summary>Calls to other grains written with a change and not yet made (a spare's assignment).</summary>
        [Id(4)] public ImmutableList<FollowUp> FollowUps { get; set; } = [];
    }
}
