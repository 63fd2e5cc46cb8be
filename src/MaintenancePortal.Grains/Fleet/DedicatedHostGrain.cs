using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Grains.Maintenance;

namespace MaintenancePortal.Grains.Fleet;

public sealed class DedicatedHostGrain(
    [PersistentState("host", StorageNames.Maintenance)] IPersistentState<DedicatedHostGrain.HostRecord> state)
    : Grain, IDedicatedHostGrain
{
    public async Task InitializeAsync(DedicatedHostSpec spec, IReadOnlyList<InstanceSpec> instances)
    {
        if (state.State.Host is not null)
        {
            return;
        }

        var host = DedicatedHost.Create(spec);
        foreach (var instance in instances)
        {
            host = host.Place(instance.InstanceId, instance.Size);
        }

        await SaveAsync(host);
    }

    public Task<DedicatedHost?> GetAsync() => Task.FromResult(state.State.Host);

    public async Task<DedicatedHost> BeginMaintenanceAsync(string maintenanceId) =>
        await SaveAsync(Host.BeginMaintenance(maintenanceId));

    public async Task<bool> TryReserveAsync(string instanceId, Resources size)
    {
        if (Host.Reserved.ContainsKey(instanceId))
        {
            return true;
        }

        if (!Host.CanAccept(size))
        {
            return false;
        }

        await SaveAsync(Host.Reserve(instanceId, size));
        return true;
    }

    public Task CancelReservationAsync(string instanceId) => SaveAsync(Host.CancelReservation(instanceId));

    public async Task CompleteArrivalAsync(string instanceId)
    {
        // An instance on its way when the host's maintenance began arrives on a draining host: it must move again.
        if (await SaveAsync(Host.CompleteArrival(instanceId)) is { State: HostState.Draining, MaintenanceId: { } maintenanceId })
        {
            GrainFactory.GetGrain<IMaintenanceEventGrain>(maintenanceId).OnInstanceArrivedAsync(instanceId).Ignore();
        }
    }

    public Task DepartAsync(string instanceId) => SaveAsync(Host.Depart(instanceId));

    public Task CompleteDrainAsync() => SaveAsync(Host.CompleteDrain());

    public Task CancelMaintenanceAsync(string maintenanceId) => SaveAsync(Host.CancelMaintenance(maintenanceId));

    public Task ReturnToServiceAsync(string maintenanceId) => SaveAsync(Host.ReturnToService(maintenanceId));

    public Task<DedicatedHost> AssignToAsync(string tenantId) => SaveAsync(Host.AssignTo(tenantId));

    private DedicatedHost Host =>
        state.State.Host ?? throw new DomainException($"Host {this.GetPrimaryKeyString()} does not exist.");

    private async Task<DedicatedHost> SaveAsync(DedicatedHost host)
    {
        if (!ReferenceEquals(host, state.State.Host))
        {
            state.State = new HostRecord { Host = host };
            await state.WriteStateAsync();
        }

        return host;
    }

    [GenerateSerializer, Alias("MaintenancePortal.HostRecord")]
    public sealed class HostRecord
    {
        [Id(0)] public DedicatedHost? Host { get; set; }
    }
}
