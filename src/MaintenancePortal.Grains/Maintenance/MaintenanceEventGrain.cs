using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Tenants;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Grains.Maintenance;

public sealed class MaintenanceEventGrain(
    [PersistentState("maintenance", StorageNames.Maintenance)] IPersistentState<MaintenanceEventGrain.MaintenanceRecord> state,
    ILifecycleEventPublisher events,
    TimeProvider time,
    IOptions<MaintenanceOptions> options)
    : Grain, IMaintenanceEventGrain
{
    private static readonly TimeSpan PumpPeriod = TimeSpan.FromSeconds(1);
    private IGrainTimer? _pump;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Event is { State: MaintenanceState.Draining })
        {
            StartPump();
        }

        return Task.CompletedTask;
    }

    public async Task<MaintenanceEvent> StartAsync(string hostId, MaintenanceReason reason)
    {
        if (state.State.Event is { } existing)
        {
            return existing;
        }

        var maintenanceId = this.GetPrimaryKeyString();
        var hostGrain = GrainFactory.GetGrain<IDedicatedHostGrain>(hostId);
        var host = await hostGrain.GetAsync() ?? throw new DomainException($"Host {hostId} does not exist.");
        var tenantId = host.Spec.TenantId ?? throw new DomainException($"Host {hostId} is a spare; nothing to drain.");
        var now = time.GetUtcNow();
        var maintenance = MaintenanceEvent.Trigger(maintenanceId, hostId, tenantId, reason, now, options.Value);

        host = await hostGrain.BeginMaintenanceAsync(maintenanceId);
        state.State = new MaintenanceRecord
        {
            Event = maintenance,
            BandwidthPerMoveMiBps = host.Spec.MigrationBandwidthMiBps / Math.Max(1, options.Value.MaxOutboundPerHost),
        };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IFleetGrain>(FleetGrainKey.Default).AddMaintenanceAsync(maintenanceId);
        await events.PublishAsync(LifecycleEvents.Started(maintenance, host.Placed.Count));

        var notBefore = maintenance.LiveMigrationNotBefore(now, options.Value);
        foreach (var instanceId in host.Placed.Keys)
        {
            var instanceGrain = GrainFactory.GetGrain<IInstanceGrain>(instanceId);
            var instance = await instanceGrain.GetAsync() ?? throw new DomainException($"Instance {instanceId} does not exist.");
            var destination = await ReserveDestinationAsync(instance.Spec, hostId);
            if (destination is null)
            {
                maintenance = maintenance.NoRoomFor(instanceId);
            }
            else
            {
                var move = InstanceMove.Schedule($"mv-{Guid.NewGuid():N}"[..15], maintenanceId, instance.Spec, reason,
                    hostId, destination, now, notBefore, maintenance.Deadline);
                await instanceGrain.ScheduleMoveAsync(move);
                maintenance = maintenance.Track(move);
            }

            state.State.Event = maintenance;
            await state.WriteStateAsync();
        }

        StartPump();
        return maintenance;
    }

    public Task<MaintenanceEvent?> GetAsync() => Task.FromResult(state.State.Event);

    public async Task OnMoveChangedAsync(string instanceId, MoveState moveState)
    {
        state.State.Event = Event.Update(instanceId, moveState);
        await state.WriteStateAsync();
        await PumpAsync(CancellationToken.None);
    }

    /// <summary>A host of the tenant with room, else a spare from the pool; the room is reserved.</summary>
    private async Task<string?> ReserveDestinationAsync(InstanceSpec instance, string sourceHostId)
    {
        var hostIds = await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).GetHostIdsAsync();
        var hosts = await Task.WhenAll(hostIds.Where(id => id != sourceHostId)
            .Select(id => GrainFactory.GetGrain<IDedicatedHostGrain>(id).GetAsync()));
        foreach (var candidate in PlacementPolicy.RankDestinations(instance, sourceHostId, hosts.OfType<DedicatedHost>()))
        {
            if (await GrainFactory.GetGrain<IDedicatedHostGrain>(candidate.HostId).TryReserveAsync(instance.InstanceId, instance.Size))
            {
                return candidate.HostId;
            }
        }

        var spare = await GrainFactory.GetGrain<IFleetGrain>(FleetGrainKey.Default).AllocateSpareAsync(instance);
        return spare is not null
               && await GrainFactory.GetGrain<IDedicatedHostGrain>(spare.HostId).TryReserveAsync(instance.InstanceId, instance.Size)
            ? spare.HostId
            : null;
    }

    private void StartPump() =>
        _pump ??= this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, PumpPeriod) { KeepAlive = true });

    /// <summary>Starts the moves whose notice has passed, and closes the event once every instance has moved.</summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (Event.State != MaintenanceState.Draining)
        {
            StopPump();
            return;
        }

        foreach (var move in Event.ReadyToStart(time.GetUtcNow(), options.Value))
        {
            await GrainFactory.GetGrain<IInstanceGrain>(move.InstanceId).StartMoveAsync(move.MoveId, state.State.BandwidthPerMoveMiBps);
            state.State.Event = Event.Update(move.InstanceId, MoveState.Migrating);
            await state.WriteStateAsync();
        }

        if (Event.EveryMoveCompleted)
        {
            await GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId).CompleteDrainAsync();
            state.State.Event = Event.MarkDrained();
            await state.WriteStateAsync();
            StopPump();
            await events.PublishAsync(LifecycleEvents.Drained(Event, time.GetUtcNow()), cancellationToken);
        }
    }

    private void StopPump()
    {
        _pump?.Dispose();
        _pump = null;
    }

    private MaintenanceEvent Event =>
        state.State.Event ?? throw new DomainException($"Maintenance {this.GetPrimaryKeyString()} was never started.");

    [GenerateSerializer, Alias("MaintenancePortal.MaintenanceRecord")]
    public sealed class MaintenanceRecord
    {
        [Id(0)] public MaintenanceEvent? Event { get; set; }

        [Id(1)] public double BandwidthPerMoveMiBps { get; set; }
    }
}
