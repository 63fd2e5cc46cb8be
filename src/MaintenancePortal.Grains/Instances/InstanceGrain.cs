using System.Collections.Immutable;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Outbox;
using MaintenancePortal.Hypervisors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Grains.Instances;

public sealed partial class InstanceGrain(
    [PersistentState("instance", StorageNames.Maintenance)] IPersistentState<InstanceGrain.InstanceRecord> state,
    IHypervisorDriver hypervisor,
    ILifecycleEventPublisher events,
    TimeProvider time,
    IOptions<MaintenanceOptions> options,
    ILogger<InstanceGrain> logger)
    : Grain, IInstanceGrain, IRemindable
{
    private IGrainTimer? _poll;

    /// <summary>Why this activation aborted a live attempt, by the attempt's id on the hypervisor.</summary>
    private readonly Dictionary<string, string> _abortedBecause = [];
    private OwedWork? _owed;

    /// <summary>What a stored change owes: the hosts' ledgers and the tenant's view, then the events that announce it.</summary>
    private OwedWork Owed => _owed ??= OwedWork.Of(this, GrainFactory, logger, state, events);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Owed.OnActivate(); // what a crash kept from other grains and the bus; a running move is followed up again
        if (ActiveMove is { State: MoveState.Migrating })
        {
            StartPolling();
        }

        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Owed.OnReminderAsync(reminderName);

    public async Task InitializeAsync(InstanceSpec spec, string hostId)
    {
        if (state.State.Spec is not null)
        {
            return;
        }

        state.State = new InstanceRecord { Spec = spec, HostId = hostId };
        await state.WriteStateAsync();
    }

    public Task<InstanceView?> GetAsync() => Task.FromResult(state.State.Spec is { } spec
        ? new InstanceView(spec, state.State.HostId, state.State.Moves, state.State.MetadataToken)
        : null);

    public async Task<string> GetMetadataTokenAsync() => state.State.MetadataToken ?? await RotateMetadataTokenAsync();

    public Task<string> RotateMetadataTokenAsync() =>
        AddressTokenGrain.RotateAsync(GrainFactory, AddressPurpose.InstanceMetadata, Spec.InstanceId, state.State.MetadataToken, async token =>
        {
            state.State.MetadataToken = token;
            await state.WriteOrReloadAsync(this);
        });

    public async Task ScheduleMoveAsync(InstanceMove move)
    {
        var spec = Spec;
        if (state.State.Moves.Any(m => m.MoveId == move.MoveId))
        {
            return;
        }

        if (ActiveMove is { } active)
        {
            throw new DomainException($"Instance {spec.InstanceId} already has move {active.MoveId} {active.State}.");
        }

        if (move.InstanceId != spec.InstanceId || move.SourceHostId != state.State.HostId)
        {
            throw new DomainException($"Move {move.MoveId} is for {move.InstanceId} on {move.SourceHostId}; "
                                      + $"this is {spec.InstanceId} on {state.State.HostId}.");
        }

        await SaveScheduledAsync(move);
    }

    public Task<InstanceMove> ReplanMoveAsync(string moveId, MoveDecision decision, string destinationHostId, bool awaitNotice = false) =>
        SaveScheduledAsync(FindMove(moveId).Replan(time.GetUtcNow(), decision, destinationHostId, awaitNotice));

    public async Task NoticeGivenAsync(string moveId, MoveAction action, DateTimeOffset at, NoticeChannel channel, string to)
    {
        if (state.State.Moves.FirstOrDefault(m => m.MoveId == moveId) is not { } move)
        {
            return; // a move this instance no longer keeps: nothing waits for its notice
        }

        var given = move.NoticeGiven(at, action, channel, to);
        if (!ReferenceEquals(given, move))
        {
            await SaveAsync(given);
            await SettleAsync();
            NotifyMaintenance(given);
        }
    }

    public Task<InstanceMove> RescheduleMoveAsync(string moveId, DateTimeOffset start) =>
        AnnounceChangeAsync(FindMove(moveId).Reschedule(time.GetUtcNow(), start));

    public async Task<InstanceMove> ApproveMoveAsync(string moveId)
    {
        var move = FindMove(moveId);
        var approved = move.Approve(time.GetUtcNow());
        // A move that already runs needs no approval: nothing to store or announce.
        return ReferenceEquals(approved, move) ? move : await AnnounceChangeAsync(approved);
    }

    /// <summary>A change the tenant made: announced, and the maintenance event told.</summary>
    private async Task<InstanceMove> AnnounceChangeAsync(InstanceMove move)
    {
        await SaveScheduledAsync(move);
        NotifyMaintenance(move);
        return move;
    }

    /// <summary>Stores a move as (re)scheduled with its announcement, and sends what that requires.</summary>
    private async Task<InstanceMove> SaveScheduledAsync(InstanceMove move)
    {
        await SaveAsync(move, LifecycleEvents.Scheduled(move, time.GetUtcNow()));
        await SettleAsync();
        return move;
    }

    public async Task<InstanceMove> CancelMoveAsync(string moveId, string why)
    {
        var current = FindMove(moveId);
        var move = current.Cancel(time.GetUtcNow(), why);
        if (ReferenceEquals(move, current))
        {
            return move; // cancelled before: nothing to store or announce again
        }

        await SaveAsync(move, LifecycleEvents.Cancelled(move), new ReservationReleaseFollowUp(move.DestinationHostId, move.InstanceId));
        await SettleAsync();
        return move;
    }

    public Task AbortMoveAsync(string moveId, string why)
    {
        var attempt = AttemptId(RunningLiveMove(moveId));
        _abortedBecause[attempt] = why;
        return hypervisor.AbortAsync(attempt);
    }

    public Task ForceCompleteMoveAsync(string moveId, ForceCompletion mode) =>
        hypervisor.ForceCompleteAsync(AttemptId(RunningLiveMove(moveId)), mode);

    private InstanceMove RunningLiveMove(string moveId) =>
        FindMove(moveId) is { State: MoveState.Migrating, Action: MoveAction.LiveMigration } move
            ? move
            : throw new DomainException($"Move {moveId} is not a running live migration.");

    public async Task<InstanceMove> StartMoveAsync(string moveId, double bandwidthMiBps, MigrationPolicy policy)
    {
        var move = FindMove(moveId);
        if (move.State == MoveState.Migrating)
        {
            StartPolling();
            return move;
        }

        move = move.Start(time.GetUtcNow());
        await SaveAsync(move);
        if (move.Action == MoveAction.RebootMove)
        {
            await hypervisor.StartRebootMoveAsync(new RebootMoveRequest(move.MoveId, move.Instance, move.SourceHostId, move.DestinationHostId));
        }
        else
        {
            await hypervisor.StartLiveMigrationAsync(new LiveMigrationRequest(
                AttemptId(move), move.Instance, move.SourceHostId, move.DestinationHostId, bandwidthMiBps, policy));
            await SaveAsync(move, LifecycleEvents.MigrationStarted(move));
        }

        await SettleAsync();
        StartPolling();
        return move;
    }

    /// <summary>Each live attempt is its own migration on the hypervisor.</summary>
    private static string AttemptId(InstanceMove move) =>
        move.Action == MoveAction.LiveMigration ? $"{move.MoveId}-{move.FailedLiveAttempts + 1}" : move.MoveId;

    private void StartPolling() =>
        _poll ??= this.RegisterGrainTimer(PollAsync, new GrainTimerCreationOptions(
            options.Value.StatusPollInterval, options.Value.StatusPollInterval) { KeepAlive = true });

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        if (ActiveMove is not { State: MoveState.Migrating } move)
        {
            StopPolling();
            return;
        }

        var status = await hypervisor.GetStatusAsync(AttemptId(move), cancellationToken);
        switch (status.Phase)
        {
            case MigrationPhase.PreCopy or MigrationPhase.StopAndCopy or MigrationPhase.PostCopy
                when status.Progress is { } progress && progress.IsWorthReportingAfter(move.Progress):
                move = move.Report(time.GetUtcNow(), progress);
                await SaveAsync(move, LifecycleEvents.Progressed(move, time.GetUtcNow()));
                await SettleAsync();
                break;
            case MigrationPhase.Completed when !move.KeepsIdentity(status.Result!):
                await RefuseAsync(move, status.Result!);
                break;
            case MigrationPhase.Completed:
                await CompleteAsync(move, status.Result!);
                break;
            case MigrationPhase.Failed:
                // An attempt this grain aborted failed for the reason it was aborted (lost with the activation: the hypervisor's).
                await AttemptFailedAsync(move.LiveAttemptFailed(time.GetUtcNow(),
                    _abortedBecause.GetValueOrDefault(AttemptId(move)) ?? status.Error ?? "The hypervisor reported a failure."));
                break;
            case MigrationPhase.Unknown when move.Action == MoveAction.RebootMove:
                // The hypervisor lost the reboot with its process: the instance is stopped, start it again.
                await hypervisor.StartRebootMoveAsync(new RebootMoveRequest(move.MoveId, move.Instance, move.SourceHostId, move.DestinationHostId),
                    cancellationToken);
                break;
            case MigrationPhase.Unknown:
                await AttemptFailedAsync(move.LiveAttemptFailed(time.GetUtcNow(), "The hypervisor has no record of the migration (its process was lost)."));
                break;
        }
    }

    private async Task CompleteAsync(InstanceMove move, MigrationOutcome outcome)
    {
        move = move.Complete(time.GetUtcNow(), outcome);
        // The destination owns the instance before the source lets it go: capacity is held on
        // both until then, so no other move can take it, and the instance is never on no host.
        await SaveAsync(move, LifecycleEvents.Completed(move),
            new ArrivalFollowUp(move.DestinationHostId, move.InstanceId), new DepartureFollowUp(move.SourceHostId, move.InstanceId));
        StopPolling();
        LogCompleted(logger, move.InstanceId, move.Action, move.SourceHostId, move.DestinationHostId, move.Receipt!.DowntimeMs);
        await SettleAsync();
        NotifyMaintenance(move);
    }

    /// <summary>A live attempt that failed: the instance still runs on its source, and the destination's room is given back.</summary>
    private async Task AttemptFailedAsync(InstanceMove failed) =>
        await MoveFailedAsync(failed, failed.FailedDestinations[^1], LifecycleEvents.AttemptFailed(failed, time.GetUtcNow()));

    /// <summary>The destination reported the instance under another ID or IP: the move is refused, never recorded as done.</summary>
    private async Task RefuseAsync(InstanceMove move, MigrationOutcome outcome)
    {
        var refused = move.RefuseIdentity(time.GetUtcNow(), outcome);
        await MoveFailedAsync(refused, move.DestinationHostId, LifecycleEvents.Failed(refused, move.DestinationHostId, time.GetUtcNow()));
    }

    private async Task MoveFailedAsync(InstanceMove failed, string destinationHostId, IMaintenanceLifecycleEvent @event)
    {
        await SaveAsync(failed, @event, new ReservationReleaseFollowUp(destinationHostId, failed.InstanceId));
        StopPolling();
        LogAttemptFailed(logger, failed.InstanceId, failed.FailedLiveAttempts, failed.FailureReason!);
        await SettleAsync();
        NotifyMaintenance(failed);
    }

    /// <summary>Tells the maintenance event (one way: it also reads the instance again after a failure or a crash).</summary>
    private void NotifyMaintenance(InstanceMove move) =>
        GrainFactory.GetGrain<IMaintenanceEventGrain>(move.MaintenanceId).OnMoveChangedAsync(move).Ignore();

    private void StopPolling()
    {
        _poll?.Dispose();
        _poll = null;
    }

    /// <summary>Makes the calls to other grains the stored changes require, then publishes their events.</summary>
    private Task SettleAsync() => Owed.SettleAsync();

    private InstanceSpec Spec =>
        state.State.Spec ?? throw new DomainException($"Instance {this.GetPrimaryKeyString()} does not exist.");

    private InstanceMove? ActiveMove => state.State.Moves.LastOrDefault(m => !m.State.IsTerminal());

    private InstanceMove FindMove(string moveId) =>
        state.State.Moves.FirstOrDefault(m => m.MoveId == moveId)
        ?? throw new DomainException($"Instance {Spec.InstanceId} has no move {moveId}.");

    /// <summary>
    /// Stores the move and, in the same write, the event that announces it and the calls to other
    /// grains it requires (the tenant's moves always among them).
    /// </summary>
    private async Task SaveAsync(InstanceMove move, IMaintenanceLifecycleEvent? @event = null, params FollowUp[] followUps)
    {
        await Owed.PromiseAsync();
        var moves = state.State.Moves;
        var index = moves.FindIndex(m => m.MoveId == move.MoveId);
        state.State.Moves = index < 0 ? moves.Add(move) : moves.SetItem(index, move);
        if (move.State == MoveState.Completed)
        {
            state.State.HostId = move.DestinationHostId;
        }

        state.State.FollowUps = state.State.FollowUps
            .RemoveAll(f => f is TenantRecordFollowUp pending && pending.Move.MoveId == move.MoveId) // the newest copy is enough
            .AddRange(followUps).Add(new TenantRecordFollowUp(MoveSummary.Of(move)));
        if (@event is not null)
        {
            state.State.Outbox = GrainOutbox.Add(state.State.Outbox, @event);
        }

        await state.WriteOrReloadAsync(this);
    }

    [LoggerMessage(LogLevel.Information, "Instance {InstanceId} moved ({Action}) from {Source} to {Destination}; paused {DowntimeMs:0.#} ms")]
    private static partial void LogCompleted(ILogger logger, string instanceId, MoveAction action, string source, string destination, double downtimeMs);

    [LoggerMessage(LogLevel.Warning, "A move of instance {InstanceId} failed on its destination ({Attempts} live attempt(s) failed so far): {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string instanceId, int attempts, string reason);

    [GenerateSerializer, Alias("MaintenancePortal.InstanceRecord")]
    public sealed class InstanceRecord : IOwingState
    {
        [Id(0)] public InstanceSpec? Spec { get; set; }

        [Id(1)] public string HostId { get; set; } = "";

        [Id(2)] public ImmutableList<InstanceMove> Moves { get; set; } = [];

        /// <summary>Events written with a change and not yet confirmed by the bus.</summary>
        [Id(3)] public ImmutableList<OutboxEntry> Outbox { get; set; } = [];

        /// <summary>Calls to other grains written with a change and not yet made.</summary>
        [Id(4)] public ImmutableList<FollowUp> FollowUps { get; set; } = [];

        /// <summary>The token of the instance's metadata address; null until first asked for.</summary>
        [Id(5)] public string? MetadataToken { get; set; }
    }
}
