using System.Collections.Immutable;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Tenants;
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
    IOptions<MigrationPolicy> policy,
    ILogger<InstanceGrain> logger)
    : Grain, IInstanceGrain
{
    private IGrainTimer? _poll;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A migration that was running when the last activation ended is followed up again.
        if (ActiveMove is { State: MoveState.Migrating })
        {
            StartPolling();
        }

        return Task.CompletedTask;
    }

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
        ? new InstanceView(spec, state.State.HostId, state.State.Moves)
        : null);

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

        await SaveAsync(move);
        await AnnounceAsync(move, LifecycleEvents.Scheduled(move));
    }

    public async Task StartMoveAsync(string moveId, double bandwidthMiBps)
    {
        var move = FindMove(moveId);
        if (move.State == MoveState.Migrating)
        {
            StartPolling();
            return;
        }

        move = move.Start(time.GetUtcNow());
        await SaveAsync(move);
        await hypervisor.StartLiveMigrationAsync(new LiveMigrationRequest(
            move.MoveId, move.Instance, move.SourceHostId, move.DestinationHostId, bandwidthMiBps, policy.Value));
        await AnnounceAsync(move, LifecycleEvents.MigrationStarted(move));
        StartPolling();
    }

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

        var status = await hypervisor.GetLiveMigrationStatusAsync(move.MoveId, cancellationToken);
        switch (status.Phase)
        {
            case MigrationPhase.PreCopy or MigrationPhase.StopAndCopy or MigrationPhase.PostCopy
                when status.Progress is { } progress && progress.IsWorthReportingAfter(move.Progress):
                move = move.Report(progress);
                await SaveAsync(move);
                await AnnounceAsync(move, LifecycleEvents.Progressed(move, time.GetUtcNow()));
                break;
            case MigrationPhase.Completed:
                await CompleteAsync(move, status.Result!);
                break;
            case MigrationPhase.Failed:
                await FailAsync(move, status.Error ?? "The hypervisor reported a failure.");
                break;
            case MigrationPhase.Unknown:
                await FailAsync(move, "The hypervisor has no record of the migration (its process was lost).");
                break;
        }
    }

    private async Task CompleteAsync(InstanceMove move, MigrationOutcome outcome)
    {
        move = move.Complete(time.GetUtcNow(), outcome);

        // The destination owns the instance before the source lets it go: capacity is held on
        // both until then, so no other move can take it, and the instance is never on no host.
        await GrainFactory.GetGrain<IDedicatedHostGrain>(move.DestinationHostId).CompleteArrivalAsync(move.InstanceId);
        state.State.HostId = move.DestinationHostId;
        await SaveAsync(move);
        await GrainFactory.GetGrain<IDedicatedHostGrain>(move.SourceHostId).DepartAsync(move.InstanceId);
        StopPolling();
        LogCompleted(logger, move.InstanceId, move.SourceHostId, move.DestinationHostId, move.Receipt!.DowntimeMs);
        await AnnounceAsync(move, LifecycleEvents.Completed(move));
        await NotifyMaintenanceAsync(move);
    }

    private async Task FailAsync(InstanceMove move, string reason)
    {
        move = move.Fail(time.GetUtcNow(), reason);
        await SaveAsync(move);
        await GrainFactory.GetGrain<IDedicatedHostGrain>(move.DestinationHostId).CancelReservationAsync(move.InstanceId);
        StopPolling();
        LogFailed(logger, move.InstanceId, reason);
        await AnnounceAsync(move, LifecycleEvents.Failed(move));
        await NotifyMaintenanceAsync(move);
    }

    private Task NotifyMaintenanceAsync(InstanceMove move) =>
        GrainFactory.GetGrain<IMaintenanceEventGrain>(move.MaintenanceId).OnMoveChangedAsync(move.InstanceId, move.State);

    private void StopPolling()
    {
        _poll?.Dispose();
        _poll = null;
    }

    private async Task AnnounceAsync(InstanceMove move, Contracts.IMaintenanceLifecycleEvent @event)
    {
        await GrainFactory.GetGrain<ITenantGrain>(move.TenantId).RecordMoveAsync(move);
        await events.PublishAsync(@event);
    }

    private InstanceSpec Spec =>
        state.State.Spec ?? throw new DomainException($"Instance {this.GetPrimaryKeyString()} does not exist.");

    private InstanceMove? ActiveMove => state.State.Moves.LastOrDefault(m => !m.State.IsTerminal());

    private InstanceMove FindMove(string moveId) =>
        state.State.Moves.FirstOrDefault(m => m.MoveId == moveId)
        ?? throw new DomainException($"Instance {Spec.InstanceId} has no move {moveId}.");

    private async Task SaveAsync(InstanceMove move)
    {
        var moves = state.State.Moves;
        var index = moves.FindIndex(m => m.MoveId == move.MoveId);
        state.State.Moves = index < 0 ? moves.Add(move) : moves.SetItem(index, move);
        await state.WriteStateAsync();
    }

    [LoggerMessage(LogLevel.Information, "Instance {InstanceId} moved from {Source} to {Destination}; paused {DowntimeMs:0.#} ms")]
    private static partial void LogCompleted(ILogger logger, string instanceId, string source, string destination, double downtimeMs);

    [LoggerMessage(LogLevel.Warning, "Move of instance {InstanceId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string instanceId, string reason);

    [GenerateSerializer, Alias("MaintenancePortal.InstanceRecord")]
    public sealed class InstanceRecord
    {
        [Id(0)] public InstanceSpec? Spec { get; set; }

        [Id(1)] public string HostId { get; set; } = "";

        [Id(2)] public ImmutableList<InstanceMove> Moves { get; set; } = [];
    }
}
