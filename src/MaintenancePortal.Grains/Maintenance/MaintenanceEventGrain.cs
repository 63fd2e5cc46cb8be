using System.Collections.Immutable;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Draining;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Notices;
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
    INoticeChannels noticeChannels,
    ILogger<MaintenanceEventGrain> logger)
    : Grain, IMaintenanceEventGrain, IRemindable
{
    private const string DeadlineCheck = "deadline-check";
    private static readonly TimeSpan PumpPeriod = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DeadlineCheckPeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often the event reads its running moves from their instances.</summary>
    private static readonly TimeSpan FollowRunningEvery = TimeSpan.FromSeconds(5);

    private readonly DrainRules _rules = new(options.Value, policy.Value);
    private IGrainTimer? _pump;
    private OwedWork? _owed;

    /// <summary>When this activation last read its running moves.</summary>
    private DateTimeOffset _followedAt = DateTimeOffset.MinValue;

    /// <summary>Instances whose move a step failed on: read again from the instance on the next tick.</summary>
    private readonly HashSet<string> _stale = [];

    /// <summary>Whether this activation has reconciled since it started or since the last deadline check.</summary>
    private bool _reconciled;

    /// <summary>Whether this activation dropped the deadline reminder (the event has nothing left to watch).</summary>
    private bool _tickingStopped;

    private const string CancelledByOperator = "Cancelled by an operator.";

    /// <summary>
    /// What a stored change owes: migration slots, the host, the instances of a cancelled event and
    /// the fleet's index, then the events that announce it.
    /// </summary>
    private OwedWork Owed => _owed ??= OwedWork.Of(this, GrainFactory, logger, state, events);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Owed.OnActivate();
        if (state.State.Event is { IsWatching: true })
        {
            StartPump(); // its first tick reconciles: this activation may follow a crash that took notices from instances with it
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Stores the change made to the state with the event that announces it and the calls to other
    /// grains it requires, then makes them. While the event is watching its moves, the deadline
    /// reminder brings it back for what is owed; a change that ends the watching registers the
    /// wake-up of <see cref="OwedWork"/> before it is made (<see cref="StopWatchingAsync"/>). A
    /// failed write drops this activation (its memory is ahead of what is stored) and passes on.
    /// </summary>
    private async Task SaveAsync(IMaintenanceLifecycleEvent? @event = null, params FollowUp[] followUps)
    {
        state.State.FollowUps = state.State.FollowUps.AddRange(followUps);
        if (@event is not null)
        {
            state.State.Outbox = GrainOutbox.Add(state.State.Outbox, @event);
        }

        await state.WriteOrReloadAsync(this);
        await Owed.SettleAsync();
    }

    /// <summary>
    /// Makes a change after which the event no longer watches its moves, and so no longer has its
    /// deadline reminder: the owed work's own wake-up is registered first, then the change is stored.
    /// </summary>
    private async Task StopWatchingAsync(Func<MaintenanceEvent, MaintenanceEvent> change,
        Func<MaintenanceEvent, IMaintenanceLifecycleEvent> announcement, params FollowUp[] followUps)
    {
        var changed = change(Event);
        await Owed.PromiseAsync();
        state.State.Event = changed;
        await SaveAsync(announcement(changed), followUps);
        if (!changed.IsWatching)
        {
            await StopTickingAsync();
        }
    }

    public async Task<MaintenanceEvent> StartAsync(string hostId, MaintenanceReason reason)
    {
        if (state.State.Event is { } existing)
        {
            return existing;
        }

        if (state.State.Starting is null)
        {
            var host = await GrainFactory.GetGrain<IDedicatedHostGrain>(hostId).GetAsync()
                       ?? throw new DomainException($"Host {hostId} does not exist.");
            _ = host.Spec.TenantId ?? throw new DomainException($"Host {hostId} is a spare; nothing to drain.");
            // The durable tick first, then the intent: whatever happens after this write, the
            // reminder brings the event back to finish starting (or to give up if the host refuses).
            await this.RegisterOrUpdateReminder(DeadlineCheck, DeadlineCheckPeriod, DeadlineCheckPeriod);
            state.State.Starting = new MaintenanceStart(hostId, reason, time.GetUtcNow());
            await state.WriteOrReloadAsync(this);
        }

        return await FinishStartAsync();
    }

    /// <summary>
    /// Takes the host (it refuses if another maintenance has it), then stores the event with its
    /// announcement and places every instance. Safe to run again after a crash: the host takes the
    /// same maintenance again as a no-op.
    /// </summary>
    private async Task<MaintenanceEvent> FinishStartAsync()
    {
        var starting = state.State.Starting!;
        var maintenanceId = this.GetPrimaryKeyString();
        DedicatedHost host;
        try
        {
            host = await GrainFactory.GetGrain<IDedicatedHostGrain>(starting.HostId).BeginMaintenanceAsync(maintenanceId);
        }
        catch (DomainException)
        {
            state.State.Starting = null;
            await state.WriteOrReloadAsync(this);
            await StopTickingAsync();
            throw;
        }

        var maintenance = MaintenanceEvent.Trigger(maintenanceId, host.HostId, host.Spec.TenantId!, starting.Reason,
            starting.RequestedAt, options.Value);
        state.State.Event = maintenance;
        state.State.Starting = null;
        state.State.BandwidthPerMoveMiBps = _rules.BandwidthShareMiBps(host.Spec.MigrationBandwidthMiBps);
        await SaveAsync(LifecycleEvents.Started(maintenance, host.Placed.Count), new FleetMaintenanceFollowUp(maintenanceId));

        var placed = true;
        foreach (var instanceId in host.Placed.Keys)
        {
            placed &= await TryStepAsync(instanceId, () => PlaceAndScheduleAsync(instanceId));
        }

        _reconciled = placed; // just placed from the host itself; what failed is placed by the first tick
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
            if (Event.Unplaced.Contains(instanceId) && !state.State.Reserving.ContainsKey(instanceId))
            {
                return;
            }

            state.State.Event = Event.NoRoomFor(instanceId);
        }
        else
        {
            var preferences = await GrainFactory.GetGrain<ITenantGrain>(Event.TenantId).GetPreferencesAsync();
            var decision = Decide(instance.Spec, preferences, failedLiveAttempts: 0);
            var move = InstanceMove.Schedule($"mv-{Guid.NewGuid():N}"[..15], Event.MaintenanceId, instance.Spec, Event.Reason,
                Event.HostId, destination, time.GetUtcNow(), Event.Deadline, decision,
                await noticeChannels.DeliversAnnouncementAsync(Event.TenantId, instanceId, decision.Action));
            await instanceGrain.ScheduleMoveAsync(move);
            state.State.Event = Event.Track(move);
        }

        state.State.Reserving = state.State.Reserving.Remove(instanceId); // the room taken is the move's now
        await SaveAsync();
    }

    public Task<MaintenanceEvent?> GetAsync() => Task.FromResult(state.State.Event);

    /// <summary>
    /// Calls the maintenance off. The cancellation of every move not started, the host's return to
    /// service and the announcement are written with it and made after it, so a crash cannot leave
    /// them half done. Room a crash left reserved is resolved first, adopting a move it was for.
    /// </summary>
    public async Task<MaintenanceEvent> CancelAsync()
    {
        _ = Event.Cancel(); // refuses before anything is read or written
        if (!await ResolveReservationsAsync())
        {
            throw new TimeoutException($"Maintenance {Event.MaintenanceId}: the instances could not all be read; try again.");
        }

        var notStarted = Event.NotStarted;
        await StopWatchingAsync(e => e.Cancel(), e => LifecycleEvents.MaintenanceCancelled(e, notStarted.Count, time.GetUtcNow()),
            [
                .. notStarted.Select(m => new MoveCancellationFollowUp(m.InstanceId, m.MoveId, CancelledByOperator)),
                new HostMaintenanceCancellationFollowUp(Event.HostId, Event.MaintenanceId),
            ]);
        return Event;
    }

    public async Task<MaintenanceEvent> CompleteAsync()
    {
        await StopWatchingAsync(e => e.Complete(), e => LifecycleEvents.MaintenanceCompleted(e, time.GetUtcNow()),
            new HostReturnToServiceFollowUp(Event.HostId, Event.MaintenanceId));
        return Event;
    }

    public async Task OnMoveChangedAsync(InstanceMove move)
    {
        if (state.State.Event is null)
        {
            return;
        }

        await TryStepAsync(move.InstanceId, () => ApplyAsync(move));
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

    /// <summary>
    /// Takes the instance's copy of a move and does what its new state asks of the event: a move
    /// that stopped migrating gives its slot back, and one that would start again after the
    /// maintenance was called off is cancelled. Both are written with the copy and made after it.
    /// </summary>
    private async Task ApplyAsync(InstanceMove move)
    {
        var tracked = Event;
        var next = tracked.Track(move);
        if (ReferenceEquals(tracked, next))
        {
            return; // a copy already known
        }

        List<FollowUp> followUps = [];
        if (next.State == MaintenanceState.Cancelled && move.State == MoveState.Scheduled)
        {
            // A live attempt that failed after the maintenance was called off is not retried.
            followUps.Add(new MoveCancellationFollowUp(move.InstanceId, move.MoveId, CancelledByOperator));
        }

        if (move.State != MoveState.Migrating && tracked.Moves.GetValueOrDefault(move.InstanceId) is { State: MoveState.Migrating })
        {
            followUps.Add(new SlotReleaseFollowUp(move.MoveId));
        }

        if (followUps.Count > 0 && !next.IsWatching)
        {
            await Owed.PromiseAsync(); // the last move of a cancelled event ended: the deadline reminder goes
        }

        state.State.Event = next;
        await SaveAsync(followUps: [.. followUps]);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeadlineCheck)
        {
            await Owed.OnReminderAsync(reminderName);
        }
        else if (state.State is { Event: null, Starting: not null })
        {
            await FinishStartAsync(); // a start cut off by a crash
        }
        else if (state.State.Event is not { IsWatching: true })
        {
            await StopTickingAsync();
        }
        else
        {
            // While it watches, this reminder is also the wake-up for what its changes owe.
            await Owed.SettleAsync();
            _reconciled = false;
            StartPump();
            await PumpAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// Room a crash (or a failed step) may have left reserved between asking a host and scheduling
    /// the move on the instance. Each instance is read: a move of this event it holds is adopted,
    /// and every host asked for it gives its room back, except the one the instance's move goes to.
    /// True when nothing is left to resolve.
    /// </summary>
    private async Task<bool> ResolveReservationsAsync()
    {
        foreach (var (instanceId, hostIds) in state.State.Reserving)
        {
            await TryStepAsync(instanceId, async () =>
            {
                var view = await GrainFactory.GetGrain<IInstanceGrain>(instanceId).GetAsync();
                var active = view?.Moves.LastOrDefault(m => !m.State.IsTerminal());
                if (active?.MaintenanceId == Event.MaintenanceId)
                {
                    await ApplyAsync(active);
                }

                state.State.Reserving = state.State.Reserving.Remove(instanceId);
                await SaveAsync(followUps:
                [
                    .. hostIds.Where(h => h != active?.DestinationHostId).Select(h => new ReservationReleaseFollowUp(h, instanceId)),
                ]);
            });
        }

        return state.State.Reserving.IsEmpty;
    }

    /// <summary>
    /// The instances hold the truth about their moves; the event keeps copies, updated by one-way
    /// notices that a crash can lose. This reads every move not finished, and every instance still
    /// on the host, from the instance again: it adopts moves it lost track of, schedules instances
    /// it never got to, and gives back migration slots of moves no longer running. Run by the
    /// first tick of an activation and after each minute's deadline check.
    /// </summary>
    private async Task<bool> ReconcileAsync()
    {
        var draining = Event.State == MaintenanceState.Draining;
        var host = draining ? await GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId).GetAsync() : null;
        var instanceIds = Event.Moves.Values.Where(m => !m.State.IsTerminal()).Select(m => m.InstanceId)
            .Union(host?.Placed.Keys ?? [])
            .Except(Event.Unplaced)
            .ToList();
        var reconciled = true;
        foreach (var instanceId in instanceIds)
        {
            reconciled &= await TryStepAsync(instanceId, async () =>
            {
                if (!await RefreshAsync(instanceId) && draining && !Event.Moves.ContainsKey(instanceId))
                {
                    await PlaceAndScheduleAsync(instanceId);
                }
            });
        }

        // Slots of this event's moves that do not run (taken just before a crash, or whose release was lost).
        var slots = GrainFactory.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default);
        var notRunning = Event.Moves.Values.Where(m => m.State != MoveState.Migrating).Select(m => m.MoveId).ToHashSet();
        foreach (var held in (await slots.GetAsync()).Held.Keys.Where(notRunning.Contains))
        {
            await slots.ReleaseAsync(held);
        }

        return reconciled;
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
    /// logged and the move read again on the next tick; it holds up no other move. False when it failed.
    /// </summary>
    private async Task<bool> TryStepAsync(string instanceId, Func<Task> step)
    {
        try
        {
            await step();
            return true;
        }
        catch (Exception ex) when (ex is DomainException or OrleansException or TimeoutException)
        {
            _stale.Add(instanceId);
            LogStepFailed(logger, ex, Event.MaintenanceId, instanceId);
            return false;
        }
    }

    private MoveDecision Decide(InstanceSpec instance, TenantPreferences preferences, int failedLiveAttempts) =>
        _rules.Decide(Event, instance, preferences, _rules.Predict(instance, state.State.BandwidthPerMoveMiBps, Event.Reason),
            failedLiveAttempts, time.GetUtcNow());

    /// <summary>A host of the tenant with room, else a spare from the pool; the room is reserved.</summary>
    private async Task<string?> ReserveDestinationAsync(InstanceSpec instance, IReadOnlyCollection<string> excluded)
    {
        var hostIds = await GrainFactory.GetGrain<ITenantGrain>(instance.TenantId).GetHostIdsAsync();
        var hosts = await Task.WhenAll(hostIds.Where(id => !excluded.Contains(id))
            .Select(id => GrainFactory.GetGrain<IDedicatedHostGrain>(id).GetAsync()));
        foreach (var candidate in PlacementPolicy.RankDestinations(instance, Event.HostId, hosts.OfType<DedicatedHost>()))
        {
            if (await TryReserveAsync(instance, candidate.HostId))
            {
                return candidate.HostId;
            }
        }

        var spare = await GrainFactory.GetGrain<IFleetGrain>(FleetGrainKey.Default).AllocateSpareAsync(instance);
        return spare is not null && await TryReserveAsync(instance, spare.HostId) ? spare.HostId : null;
    }

    /// <summary>
    /// Records that the host is asked for room before asking it: a crash between the reservation and
    /// the scheduled move leaves a record that <see cref="ResolveReservationsAsync"/> settles, not room held for no one.
    /// </summary>
    private async Task<bool> TryReserveAsync(InstanceSpec instance, string hostId)
    {
        var asked = state.State.Reserving.GetValueOrDefault(instance.InstanceId, []);
        if (!asked.Contains(hostId))
        {
            state.State.Reserving = state.State.Reserving.SetItem(instance.InstanceId, asked.Add(hostId));
            await state.WriteOrReloadAsync(this);
        }

        return await GrainFactory.GetGrain<IDedicatedHostGrain>(hostId).TryReserveAsync(instance.InstanceId, instance.Size);
    }

    private void StartPump()
    {
        _tickingStopped = false;
        _pump ??= this.RegisterGrainTimer(PumpAsync, new GrainTimerCreationOptions(TimeSpan.Zero, PumpPeriod) { KeepAlive = true });
    }

    /// <summary>
    /// Brings the event's copies of its moves up to date, then carries out the drain's next step
    /// (<see cref="DrainStep"/>): places, replans, aborts overruns, starts what is due, warns of
    /// risk, and closes the event once every instance has moved.
    /// </summary>
    private async Task PumpAsync(CancellationToken cancellationToken)
    {
        if (state.State.Event is not { IsWatching: true })
        {
            await StopTickingAsync();
            return;
        }

        if (!_reconciled)
        {
            try
            {
                _reconciled = await ReconcileAsync(); // what failed is tried again on the next tick
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

        await ResolveReservationsAsync();
        await FollowRunningMovesAsync();
        if (Event.State == MaintenanceState.Cancelled)
        {
            return; // called off: it only watches the moves that still run
        }

        var now = time.GetUtcNow();
        foreach (var action in DrainStep.Next(Event, state.State.AtRiskAnnounced, now, _rules).Actions)
        {
            switch (action)
            {
                case DrainMoveAction move:
                    await TryStepAsync(move.InstanceId, () => CarryOutAsync(move));
                    break;
                case AnnounceAtRisk atRisk:
                    state.State.AtRiskAnnounced = state.State.AtRiskAnnounced.Add(atRisk.InstanceId);
                    await SaveAsync(LifecycleEvents.AtRisk(Event, atRisk.InstanceId, atRisk.Why, now));
                    break;
                case MarkDrained:
                    await MarkDrainedAsync();
                    break;
            }
        }
    }

    /// <summary>One move's part of a drain step, made with calls to its instance, the hosts and the migration slots.</summary>
    private async Task CarryOutAsync(DrainMoveAction action)
    {
        switch (action)
        {
            case PlaceInstance place:
                await PlaceAndScheduleAsync(place.InstanceId); // room may have freed up since
                break;
            case ReplanMove replan:
                await ReplanAsync(replan.Move);
                break;
            case AbortMove abort:
                await GrainFactory.GetGrain<IInstanceGrain>(abort.Move.InstanceId).AbortMoveAsync(abort.Move.MoveId, abort.Why);
                break;
            case StartMove start:
                if (start.Slot is { } slot
                    && !await GrainFactory.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default).TryAcquireAsync(slot, start.Priority))
                {
                    return; // asked again on the next step
                }

                await ApplyAsync(await GrainFactory.GetGrain<IInstanceGrain>(start.Move.InstanceId)
                    .StartMoveAsync(start.Move.MoveId, state.State.BandwidthPerMoveMiBps, _rules.PolicyFor(Event.Reason)));
                break;
        }
    }

    /// <summary>Every instance has moved: the host is called drained once no instance is still on its way to it.</summary>
    private async Task MarkDrainedAsync()
    {
        var host = GrainFactory.GetGrain<IDedicatedHostGrain>(Event.HostId);
        if (await host.GetAsync() is { Reserved.IsEmpty: false })
        {
            return; // an instance is still on its way here; once it arrives it is moved on
        }

        await host.CompleteDrainAsync();
        await StopWatchingAsync(e => e.MarkDrained(), e => LifecycleEvents.Drained(e, time.GetUtcNow()));
    }

    /// <summary>
    /// A running move is carried on by its instance grain, which polls the hypervisor on a timer.
    /// When the silo holding that grain dies, nothing would call the grain again and the move would
    /// stay running for good: every few seconds the event reads each running move from its
    /// instance, which brings the grain back (it resumes its poll) and picks up a change whose
    /// notice was lost.
    /// </summary>
    private async Task FollowRunningMovesAsync()
    {
        var now = time.GetUtcNow();
        if (now - _followedAt < FollowRunningEvery)
        {
            return;
        }

        _followedAt = now;
        foreach (var running in Event.Moves.Values.Where(m => m.State == MoveState.Migrating).ToList())
        {
            await TryStepAsync(running.InstanceId, () => RefreshAsync(running.InstanceId));
        }
    }

    /// <summary>Stops the tick and its reminder; a failure to drop the reminder leaves it to fire and try again.</summary>
    private async Task StopTickingAsync()
    {
        StopPump();
        if (_tickingStopped)
        {
            return;
        }

        try
        {
            if (await this.GetReminder(DeadlineCheck) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _tickingStopped = true;
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogStopTickingFailed(logger, ex, this.GetPrimaryKeyString());
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
            destination = null;
            foreach (var excluded in _rules.RetryExclusions(move.SourceHostId, move.FailedDestinations))
            {
                if ((destination = await ReserveDestinationAsync(move.Instance, excluded)) is not null)
                {
                    break;
                }
            }

            if (destination is null)
            {
                return; // checked again on the next tick, when room may have freed up
            }
        }

        var preferences = await GrainFactory.GetGrain<ITenantGrain>(move.TenantId).GetPreferencesAsync();
        // Past its latest live start the planner always answers with a reboot: no notice fits any more.
        var decision = Decide(move.Instance, preferences, move.FailedLiveAttempts);
        var awaitNotice = decision.Action != move.Action
                          && await noticeChannels.DeliversAnnouncementAsync(move.TenantId, move.InstanceId, decision.Action);
        state.State.Event = Event.Track(await instanceGrain.ReplanMoveAsync(move.MoveId, decision, destination, awaitNotice));
        state.State.Reserving = state.State.Reserving.Remove(move.InstanceId); // the room taken is the move's now
        await SaveAsync();
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

    [LoggerMessage(LogLevel.Warning, "Maintenance {MaintenanceId}: its deadline reminder could not be dropped; it fires again and tries again")]
    private static partial void LogStopTickingFailed(ILogger logger, Exception exception, string maintenanceId);

    [LoggerMessage(LogLevel.Warning, "Maintenance {MaintenanceId}: a step for instance {InstanceId} failed; the move is read again on the next tick")]
    private static partial void LogStepFailed(ILogger logger, Exception exception, string maintenanceId, string instanceId);

    private MaintenanceEvent Event =>
        state.State.Event ?? throw new DomainException($"Maintenance {this.GetPrimaryKeyString()} was never started.");

    [GenerateSerializer, Alias("MaintenancePortal.MaintenanceRecord")]
    public sealed class MaintenanceRecord : IOwingState
    {
        [Id(0)] public MaintenanceEvent? Event { get; set; }

        [Id(1)] public double BandwidthPerMoveMiBps { get; set; }

        /// <summary>Instances an <c>SlaAtRisk</c> event was already sent for.</summary>
        [Id(2)] public ImmutableHashSet<string> AtRiskAnnounced { get; set; } = [];

        /// <summary>Events written with a change and not yet confirmed by the bus.</summary>
        [Id(3)] public ImmutableList<OutboxEntry> Outbox { get; set; } = [];

        /// <summary>Calls to other grains written with a change and not yet made.</summary>
        [Id(4)] public ImmutableList<FollowUp> FollowUps { get; set; } = [];

        /// <summary>Hosts asked for room for an instance whose move is not yet tracked: resolved by <c>ResolveReservationsAsync</c>.</summary>
        [Id(5)] public ImmutableSortedDictionary<string, ImmutableSortedSet<string>> Reserving { get; set; } =
            ImmutableSortedDictionary<string, ImmutableSortedSet<string>>.Empty;

        /// <summary>A start asked for and not yet finished (the host not yet taken or the event not yet stored).</summary>
        [Id(6)] public MaintenanceStart? Starting { get; set; }
    }
}

/// <summary>A start of maintenance as the operator asked for it, kept until the event is stored.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MaintenanceStart")]
public sealed record MaintenanceStart(
    [property: Id(0)] string HostId,
    [property: Id(1)] MaintenanceReason Reason,
    [property: Id(2)] DateTimeOffset RequestedAt);
