using System.Collections.Immutable;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Outbox;
using MaintenancePortal.Grains.Tenants;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Grains.Maintenance;

public sealed partial class MaintenanceEventGrain(
    [PersistentState("maintenance", StorageNames.Maintenance)] IPersistentState<MaintenanceEventGrain.MaintenanceRecord> state,
    ILifecycleEventPublisher events,
    TimeProvider time,
    IOptions<MaintenanceOptions> options,
    IOptions<MigrationPolicy> policy,
    ILogger<MaintenanceEventGrain> logger)
    : Grain, IMaintenanceEventGrain, IRemindable
{
    private const string DeadlineCheck = "deadline-check";
    private static readonly TimeSpan PumpPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DeadlineCheckPeriod = TimeSpan.FromMinutes(1);
    private IGrainTimer? _pump;
    private GrainOutbox<OutboxEntry>? _outbox;

    /// <summary>Predictions of running live migrations, kept so the once-a-second check reads nothing.</summary>
    private readonly Dictionary<string, MigrationPlan> _predictions = [];

    /// <summary>Instances whose move a step failed on: read again from the instance on the next tick.</summary>
    private readonly HashSet<string> _stale = [];

    /// <summary>Whether this activation has reconciled since it started or since the last deadline check.</summary>
    private bool _reconciled;

    private GrainOutbox<OutboxEntry> Outbox => _outbox ??= GrainOutbox.ForEvents(this, events, () => state.State.Outbox, async pending =>
    {
        state.State.Outbox = pending;
        await state.WriteStateAsync();
    });

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Outbox.FlushAsync();
        if (state.State.Event is { State: MaintenanceState.Draining })
        {
            StartPump(); // its first tick reconciles: this activation may follow a crash that took notices from instances with it
        }
    }

    /// <summary>Stores the event with the state it announces, then publishes it.</summary>
    private async Task AnnounceAsync(IMaintenanceLifecycleEvent @event)
    {
        state.State.Outbox = GrainOutbox.Add(state.State.Outbox, @event);
        await state.WriteStateAsync();
        await Outbox.FlushAsync();
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
        // The durable tick: deadlines are checked even if this activation and its timer are lost.
        await this.RegisterOrUpdateReminder(DeadlineCheck, DeadlineCheckPeriod, DeadlineCheckPeriod);
        await GrainFactory.GetGrain<IFleetGrain>(FleetGrainKey.Default).AddMaintenanceAsync(maintenanceId);
        await AnnounceAsync(LifecycleEvents.Started(maintenance, host.Placed.Count));

        foreach (var instanceId in host.Placed.Keys)
        {
            await PlaceAndScheduleAsync(instanceId);
        }

        _reconciled = true; // just placed from the host itself
        StartPump();
        return Event;
    }

    /// <summary>Finds the instance a destination and schedules its move as the planner decides; without room, it waits in Unplaced.</summary>
    private async Task PlaceAndScheduleAsync(string instanceId)
    {
        var instanceGrain = GrainFactory.GetGrain<IInstanceGrain>(instanceId);
        var instance = await instanceGrain.GetAsync() ?? throw new DomainException($"Instance {instanceId} does not exist.");
        var destination = await ReserveDestinationAsync(instance.Spec, [Event.HostId]);
        if (destination is null)
        {
            if (Event.Unplaced.Contains(instanceId))
            {
                return;
            }

            state.State.Event = Event.NoRoomFor(instanceId);
        }
        else
        {
            var preferences = await GrainFactory.GetGrain<ITenantGrain>(Event.TenantId).GetPreferencesAsync();
            var move = InstanceMove.Schedule($"mv-{Guid.NewGuid():N}"[..15], Event.MaintenanceId, instance.Spec, Event.Reason,
                Event.HostId, destination, time.GetUtcNow(), Event.Deadline, Decide(instance.Spec, preferences, failedLiveAttempts: 0));
            await instanceGrain.ScheduleMoveAsync(move);
            state.State.Event = Event.Track(move);
        }

        await state.WriteStateAsync();
    }

    public Task<MaintenanceEvent?> GetAsync() => Task.FromResult(state.State.Event);

    public async Task<MaintenanceEvent> CancelAsync()
    {
        state.State.Event = Event.Cancel();
        await state.WriteStateAsync();
        var notStarted = Event.Moves.Values.Where(m => m.State == MoveState.Scheduled).ToList();
        foreach (var move in notStarted)
        {
            state.State.Event = Event.Track(
                await GrainFactory.GetGrain<IInstanceGrain>(move.InstanceId).CancelMoveAsync(move.MoveId, "Cancelled by an operator."));
        }

        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId).CancelMaintenanceAsync();
        await StopTickingAsync();
        await AnnounceAsync(LifecycleEvents.MaintenanceCancelled(Event, notStarted.Count, time.GetUtcNow()));
        return Event;
    }

    public async Task<MaintenanceEvent> CompleteAsync()
    {
        var completed = Event.Complete();
        await GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId).ReturnToServiceAsync();
        state.State.Event = completed;
        await AnnounceAsync(LifecycleEvents.MaintenanceCompleted(Event, time.GetUtcNow()));
        return Event;
    }

    public async Task OnMoveChangedAsync(InstanceMove move)
    {
        await ApplyAsync(move);
        await PumpAsync(CancellationToken.None);
    }

    public async Task OnInstanceArrivedAsync(string instanceId)
    {
        if (state.State.Event is not { State: MaintenanceState.Draining } || Event.Moves.ContainsKey(instanceId) || Event.Unplaced.Contains(instanceId))
        {
            return;
        }

        await TryStepAsync(instanceId, () => PlaceAndScheduleAsync(instanceId));
        await PumpAsync(CancellationToken.None);
    }

    /// <summary>Takes the instance's copy of a move and does what its new state asks of the event.</summary>
    private async Task ApplyAsync(InstanceMove move)
    {
        var tracked = Event;
        state.State.Event = tracked.Track(move);
        if (ReferenceEquals(tracked, state.State.Event))
        {
            return; // a copy already known
        }

        await state.WriteStateAsync();
        if (Event.State == MaintenanceState.Cancelled && move.State == MoveState.Scheduled)
        {
            // A live attempt that failed after the maintenance was called off is not retried.
            await GrainFactory.GetGrain<IInstanceGrain>(move.InstanceId).CancelMoveAsync(move.MoveId, "Cancelled by an operator.");
        }

        if (move.State != MoveState.Migrating)
        {
            await GrainFactory.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default).ReleaseAsync(move.MoveId);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == Outbox.ReminderName)
        {
            await Outbox.RetryAsync();
            return;
        }

        _reconciled = false;
        await PumpAsync(CancellationToken.None);
    }

    /// <summary>
    /// The instances hold the truth about their moves; the event keeps copies, updated by one-way
    /// notices that a crash can lose. This reads every move not finished, and every instance still
    /// on the host, from the instance again: it adopts moves it lost track of, schedules instances
    /// it never got to, and gives back migration slots of moves no longer running. Run by the
    /// first tick of an activation and after each minute's deadline check.
    /// </summary>
    private async Task ReconcileAsync()
    {
        var host = await GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId).GetAsync();
        var instanceIds = Event.Moves.Values.Where(m => !m.State.IsTerminal()).Select(m => m.InstanceId)
            .Union(host?.Placed.Keys ?? [])
            .Except(Event.Unplaced)
            .ToList();
        foreach (var instanceId in instanceIds)
        {
            await TryStepAsync(instanceId, async () =>
            {
                if (!await RefreshAsync(instanceId) && !Event.Moves.ContainsKey(instanceId))
                {
                    await PlaceAndScheduleAsync(instanceId);
                }
            });
        }

        var slots = GrainFactory.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default);
        var running = Event.Moves.Values.Where(m => m.State == MoveState.Migrating).Select(m => m.MoveId).ToHashSet();
        foreach (var held in (await slots.GetAsync()).Held.Values.Where(s => s.SourceHostId == Event.HostId && !running.Contains(s.MoveId)))
        {
            await slots.ReleaseAsync(held.MoveId);
        }
    }

    /// <summary>Reads the instance's move of this event again; false when the instance has none.</summary>
    private async Task<bool> RefreshAsync(string instanceId)
    {
        var view = await GrainFactory.GetGrain<IInstanceGrain>(instanceId).GetAsync();
        if (view?.Moves.LastOrDefault(m => m.MaintenanceId == Event.MaintenanceId) is not { } move)
        {
            return false;
        }

        await ApplyAsync(move);
        return true;
    }

    /// <summary>
    /// One move's step in a tick. A failure (a copy gone stale, a silo going away with a grain) is
    /// logged and the move read again on the next tick; it holds up no other move.
    /// </summary>
    private async Task TryStepAsync(string instanceId, Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex) when (ex is DomainException or OrleansException or TimeoutException)
        {
            _stale.Add(instanceId);
            LogStepFailed(logger, ex, Event.MaintenanceId, instanceId);
        }
    }

    private MigrationPolicy PolicyFor(MaintenanceReason reason)
    {
        var profile = ReasonProfile.For(reason, options.Value);
        return profile.PostCopy == PostCopyMode.Never ? policy.Value : policy.Value with { PostCopy = profile.PostCopy };
    }

    private MigrationPlan Predict(InstanceSpec instance) => MigrationModel.Plan(MigrationWorkload.Of(instance),
        state.State.BandwidthPerMoveMiBps * MigrationWorkload.MiB, PolicyFor(Event.Reason));

    private MoveDecision Decide(InstanceSpec instance, TenantPreferences preferences, int failedLiveAttempts) =>
        SlaPlanner.Decide(new MoveContext(time.GetUtcNow(), Event.Deadline, ReasonProfile.For(Event.Reason, options.Value),
            preferences.For(instance.InstanceId), preferences, Predict(instance), failedLiveAttempts), options.Value);

    /// <summary>A host of the tenant with room, else a spare from the pool; the room is reserved.</summary>
    private async Task<string?> ReserveDestinationAsync(InstanceSpec instance, IReadOnlyCollection<string> excluded)
    {
        var hostIds = await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).GetHostIdsAsync();
        var hosts = await Task.WhenAll(hostIds.Where(id => !excluded.Contains(id))
            .Select(id => GrainFactory.GetGrain<IDedicatedHostGrain>(id).GetAsync()));
        foreach (var candidate in PlacementPolicy.RankDestinations(instance, Event.HostId, hosts.OfType<DedicatedHost>()))
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

    /// <summary>
    /// Replans what must be decided again, starts the moves whose time has come (live ones only
    /// with a migration slot), and closes the event once every instance has moved.
    /// </summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (state.State.Event is not { State: MaintenanceState.Draining })
        {
            StopPump();
            return;
        }

        if (!_reconciled)
        {
            try
            {
                await ReconcileAsync();
                _reconciled = true;
            }
            catch (Exception ex) when (ex is OrleansException or TimeoutException)
            {
                LogReconcileFailed(logger, ex, Event.MaintenanceId); // tried again on the next tick
            }
        }

        foreach (var instanceId in _stale.ToList())
        {
            _stale.Remove(instanceId);
            await TryStepAsync(instanceId, () => RefreshAsync(instanceId));
        }

        var now = time.GetUtcNow();
        foreach (var instanceId in Event.Unplaced)
        {
            await TryStepAsync(instanceId, () => PlaceAndScheduleAsync(instanceId)); // room may have freed up since
        }

        foreach (var due in Event.ToReplan(now))
        {
            await TryStepAsync(due.InstanceId, () => ReplanAsync(due));
        }

        // A live migration that has used up its allowance is aborted, then retried elsewhere or rebooted in time.
        foreach (var running in Event.Moves.Values.Where(m => m is { State: MoveState.Migrating, Action: MoveAction.LiveMigration }))
        {
            await TryStepAsync(running.InstanceId, async () =>
            {
                var instance = GrainFactory.GetGrain<IInstanceGrain>(running.InstanceId);
                if (!_predictions.TryGetValue(running.InstanceId, out var prediction))
                {
                    prediction = _predictions[running.InstanceId] = Predict(Current(await instance.GetAsync(), running.MoveId).Instance);
                }

                if (SlaPlanner.IsOverrunning(running.StartedAt!.Value, now, prediction, options.Value))
                {
                    await instance.AbortMoveAsync(running.MoveId);
                }
            });
        }

        var slots = GrainFactory.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default);
        foreach (var due in Event.Due(now))
        {
            await TryStepAsync(due.InstanceId, async () =>
            {
                if (due.Action == MoveAction.LiveMigration
                    && !await slots.TryAcquireAsync(new MigrationSlot(due.MoveId, Event.HostId, due.DestinationHostId),
                        ReasonProfile.For(Event.Reason, options.Value).Priority))
                {
                    return;
                }

                var instance = GrainFactory.GetGrain<IInstanceGrain>(due.InstanceId);
                await ApplyAsync(await instance.StartMoveAsync(due.MoveId, state.State.BandwidthPerMoveMiBps, PolicyFor(Event.Reason)));
            });
        }

        foreach (var instanceId in Event.AtRisk(now, options.Value).Except(state.State.AtRiskAnnounced).ToList())
        {
            state.State.AtRiskAnnounced = state.State.AtRiskAnnounced.Add(instanceId);
            await AnnounceAsync(LifecycleEvents.AtRisk(Event, instanceId, Event.Unplaced.Contains(instanceId)
                ? "No host of the tenant and no spare has room for the instance."
                : "The instance is not moved within the safety margin before the deadline.", now));
        }

        if (Event.EveryMoveCompleted)
        {
            var host = GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId);
            if (await host.GetAsync() is { Reserved.IsEmpty: false })
            {
                return; // an instance is still on its way here; once it arrives it is moved on
            }

            await host.CompleteDrainAsync();
            state.State.Event = Event.MarkDrained();
            await AnnounceAsync(LifecycleEvents.Drained(Event, time.GetUtcNow()));
            await StopTickingAsync();
        }
    }

    private async Task StopTickingAsync()
    {
        StopPump();
        if (await this.GetReminder(DeadlineCheck) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>A failed live attempt gets a new destination; a live move past its latest start falls back to a reboot.</summary>
    private async Task ReplanAsync(MaintenanceMove due)
    {
        var instanceGrain = GrainFactory.GetGrain<IInstanceGrain>(due.InstanceId);
        var view = await instanceGrain.GetAsync();
        var move = Current(view, due.MoveId);
        var destination = move.DestinationHostId;
        if (move.NeedsReplan)
        {
            destination = await ReserveDestinationAsync(move.Instance, [Event.HostId, .. move.FailedDestinations])
                          ?? move.FailedDestinations[^1] switch
                          {
                              // No other host has room: try the same one again rather than leave the instance behind.
                              var last when await GrainFactory.GetGrain<IDedicatedHostGrain>(last)
                                  .TryReserveAsync(move.InstanceId, move.Instance.Size) => last,
                              _ => null,
                          };
            if (destination is null)
            {
                return; // checked again on the next tick, when room may have freed up
            }
        }

        var preferences = await GrainFactory.GetGrain<ITenantGrain>(move.TenantId).GetPreferencesAsync();
        // Past its latest live start the planner always answers with a reboot: no notice fits any more.
        var decision = Decide(move.Instance, preferences, move.FailedLiveAttempts);
        state.State.Event = Event.Track(await instanceGrain.ReplanMoveAsync(move.MoveId, decision, destination));
        await state.WriteStateAsync();
    }

    private static InstanceMove Current(InstanceView? view, string moveId) =>
        view?.Moves.FirstOrDefault(m => m.MoveId == moveId) ?? throw new DomainException($"Move {moveId} is gone.");

    private void StopPump()
    {
        _pump?.Dispose();
        _pump = null;
    }

    [LoggerMessage(LogLevel.Warning, "Maintenance {MaintenanceId}: reading the moves again from the instances failed; tried again on the next tick")]
    private static partial void LogReconcileFailed(ILogger logger, Exception exception, string maintenanceId);

    [LoggerMessage(LogLevel.Warning, "Maintenance {MaintenanceId}: a step for instance {InstanceId} failed; the move is read again on the next tick")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string maintenanceId, string instanceId);

    private MaintenanceEvent Event =>
        state.State.Event ?? throw new DomainException($"Maintenance {this.GetPrimaryKeyString()} was never started.");

    [GenerateSerializer, Alias("MaintenancePortal.MaintenanceRecord")]
    public sealed class MaintenanceRecord
    {
        [Id(0)] public MaintenanceEvent? Event { get; set; }

        [Id(1)] public double BandwidthPerMoveMiBps { get; set; }

        /// <summary>Instances an <c>SlaAtRisk</c> event was already sent for.</summary>
        [Id(2)] public ImmutableHashSet<string> AtRiskAnnounced { get; set; } = [];

        /// <summary>Events written with a change and not yet confirmed by the bus.</summary>
        [Id(3)] public ImmutableList<OutboxEntry> Outbox { get; set; } = [];
    }
}
