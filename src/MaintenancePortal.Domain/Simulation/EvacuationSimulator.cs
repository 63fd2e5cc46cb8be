using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Simulation;

/// <summary>Hosts to drain at one trigger, and how the world behaves meanwhile.</summary>
/// <param name="DirtyRateNoise">Spread of the dirty rate a migration meets against the one observed before (log-normal sigma; 0: the same).</param>
/// <param name="DestinationFailureRate">Chance that a live attempt's destination fails part-way.</param>
public sealed record EvacuationScenario(
    DemoFleet Fleet,
    IReadOnlyList<string> HostsToDrain,
    MaintenanceReason Reason,
    DateTimeOffset Trigger,
    int Seed,
    double DirtyRateNoise = 0,
    double DestinationFailureRate = 0);

/// <summary>What an evacuation did: every move as it ended, every host as it ended, and when each drained host was empty.</summary>
/// <param name="Unplaced">Instances no host had room for.</param>
/// <param name="Makespans">Per drained host: from the earliest allowed start (trigger + notice) to its last instance gone.</param>
/// <param name="LowerBounds">Per drained host: its instances' memory over its NIC bandwidth (Σ M / B).</param>
public sealed record EvacuationResult(
    string Strategy,
    DateTimeOffset Deadline,
    IReadOnlyList<InstanceMove> Moves,
    IReadOnlyDictionary<string, DedicatedHost> Hosts,
    IReadOnlyList<string> Unplaced,
    IReadOnlyDictionary<string, TimeSpan> Makespans,
    IReadOnlyDictionary<string, TimeSpan> LowerBounds,
    int Events);

/// <summary>
/// A discrete-event simulation of draining hosts, on the domain's own rules: capacity ledgers,
/// instance moves, migration slots, the migration model, and (for MaintenancePortal) the SLA
/// planner. Deterministic for a seed; bounded in events, so it always ends.
/// </summary>
public sealed class EvacuationSimulator
{
    private const int MaxEvents = 1_000_000;

    private readonly EvacuationScenario _scenario;
    private readonly EvacuationStrategy _strategy;
    private readonly Random _random;
    private readonly Dictionary<string, DedicatedHost> _hosts;
    private readonly Dictionary<string, InstanceMove> _moves = [];
    private readonly Dictionary<string, MigrationPlan> _predictions = [];
    private readonly List<string> _waiting = [];
    private readonly Dictionary<string, Transfer> _transfers = [];
    private readonly List<string> _unplaced = [];
    private readonly PriorityQueue<Action, (DateTimeOffset, long)> _events = new();
    private readonly DateTimeOffset _deadline;
    private MigrationSlots _slots = MigrationSlots.Empty;
    private DateTimeOffset _now;
    private long _sequence;

    private EvacuationSimulator(EvacuationScenario scenario, EvacuationStrategy strategy)
    {
        _scenario = scenario;
        _strategy = strategy;
        _random = new Random(scenario.Seed);
        _now = scenario.Trigger;
        _deadline = scenario.Trigger + strategy.Options.CompletionSla;
        _hosts = scenario.Fleet.Hosts.ToDictionary(h => h.HostId, DedicatedHost.Create);
        foreach (var placement in scenario.Fleet.Instances)
        {
            _hosts[placement.HostId] = _hosts[placement.HostId].Place(placement.Instance.InstanceId, placement.Instance.Size);
        }
    }

    public static EvacuationResult Run(EvacuationScenario scenario, EvacuationStrategy strategy) =>
        new EvacuationSimulator(scenario, strategy).Run();

    private ReasonProfile Profile => ReasonProfile.For(_scenario.Reason, _strategy.Options);

    private MigrationPolicy Policy => _strategy.UsesPlanner && Profile.PostCopy != PostCopyMode.Never
        ? _strategy.Policy with { PostCopy = Profile.PostCopy }
        : _strategy.Policy;

    private EvacuationResult Run()
    {
        var instances = _scenario.Fleet.Instances.ToDictionary(i => i.Instance.InstanceId, i => i.Instance);
        foreach (var hostId in _scenario.HostsToDrain)
        {
            _hosts[hostId] = _hosts[hostId].BeginMaintenance($"sim-{hostId}");
            foreach (var instanceId in _hosts[hostId].Placed.Keys)
            {
                Schedule(instances[instanceId], hostId);
            }
        }

        var events = 0;
        while (_events.TryDequeue(out var action, out var at))
        {
            if (++events > MaxEvents)
            {
                throw new InvalidOperationException($"The evacuation did not end within {MaxEvents} events.");
            }

            _now = at.Item1;
            action();
        }

        var earliestStart = _scenario.Trigger + (_strategy.UsesPlanner ? Profile.LiveNotice : _strategy.Options.LiveMigrationNotice);
        var makespans = _scenario.HostsToDrain.ToDictionary(h => h, h =>
            _moves.Values.Where(m => m.SourceHostId == h).Select(m => m.FinishedAt ?? DateTimeOffset.MaxValue)
                .DefaultIfEmpty(earliestStart).Max() - earliestStart);
        var lowerBounds = _scenario.HostsToDrain.ToDictionary(h => h, h => TimeSpan.FromSeconds(
            _moves.Values.Where(m => m.SourceHostId == h).Sum(m => (double)m.Instance.Size.MemoryMiB * MigrationWorkload.MiB)
            / (_hosts[h].Spec.MigrationBandwidthMiBps * MigrationWorkload.MiB)));
        return new EvacuationResult(_strategy.Name, _deadline, [.. _moves.Values], _hosts, _unplaced, makespans, lowerBounds, events);
    }

    private void At(DateTimeOffset time, Action action) => _events.Enqueue(action, (time, _sequence++));

    /// <summary>What a migration can count on from its source's NIC when planning: the share at the outbound limit.</summary>
    private double BandwidthShare(string sourceHostId) =>
        NicBytesPerSecond(sourceHostId) / Math.Max(1, Math.Min(_strategy.Options.MaxOutboundPerHost, 64));

    private void Schedule(InstanceSpec instance, string sourceHostId)
    {
        var destination = Reserve(instance, sourceHostId, [sourceHostId]);
        if (destination is null)
        {
            _unplaced.Add(instance.InstanceId);
            return;
        }

        var prediction = MigrationModel.Plan(MigrationWorkload.Of(instance), BandwidthShare(sourceHostId), Policy);
        _predictions[instance.InstanceId] = prediction;
        var decision = Decide(instance, prediction, failedLiveAttempts: 0);
        var move = InstanceMove.Schedule($"mv-{instance.InstanceId}", $"sim-{sourceHostId}", instance, _scenario.Reason,
            sourceHostId, destination, _now, _deadline, decision);
        _moves[instance.InstanceId] = move;
        At(move.NotBefore, () => TryStart(instance.InstanceId));
    }

    private MoveDecision Decide(InstanceSpec instance, MigrationPlan prediction, int failedLiveAttempts)
    {
        if (_strategy.UsesPlanner)
        {
            return SlaPlanner.Decide(new MoveContext(_now, _deadline, Profile, MovePreference.LiveMigrate, TenantPreferences.None,
                prediction, failedLiveAttempts), _strategy.Options);
        }

        return failedLiveAttempts == 0
            ? new MoveDecision(MoveAction.LiveMigration, _now + _strategy.Options.LiveMigrationNotice, _deadline, "Live migration.")
            : new MoveDecision(MoveAction.RebootMove, _now, _deadline, "Live migration failed: moved by reboot.");
    }

    /// <summary>A host of the tenant with room (never one excluded), else a spare; the room is reserved.</summary>
    private string? Reserve(InstanceSpec instance, string sourceHostId, IReadOnlyCollection<string> excluded)
    {
        var candidate = PlacementPolicy.RankDestinations(instance, sourceHostId, _hosts.Values.Where(h => !excluded.Contains(h.HostId)))
                            .FirstOrDefault()
                        ?? _hosts.Values.Where(h => PlacementPolicy.SpareFits(h, instance)).OrderBy(h => h.HostId, StringComparer.Ordinal)
                            .FirstOrDefault()?.AssignTo(instance.TenantId);
        if (candidate is null)
        {
            return null;
        }

        _hosts[candidate.HostId] = candidate.Reserve(instance.InstanceId, instance.Size);
        return candidate.HostId;
    }

    private void TryStart(string instanceId)
    {
        var move = _moves[instanceId];
        if (move.State != MoveState.Scheduled || move.NeedsReplan || _now < move.NotBefore)
        {
            return;
        }

        if (_strategy.UsesPlanner && SlaPlanner.MustFallBackToReboot(move, _now))
        {
            var reboot = Decide(move.Instance, _predictions[instanceId], move.FailedLiveAttempts);
            _moves[instanceId] = move.Replan(_now, reboot, move.DestinationHostId);
            _waiting.Remove(instanceId);
            At(reboot.NotBefore, () => TryStart(instanceId));
            return;
        }

        if (move.Action == MoveAction.RebootMove)
        {
            _moves[instanceId] = move.Start(_now);
            At(_now + _strategy.Options.RebootDuration, () => FinishReboot(instanceId));
            return;
        }

        var slot = new MigrationSlot(move.MoveId, move.SourceHostId, move.DestinationHostId);
        (_slots, var granted) = _slots.Request(slot, Profile.Priority, _now, _strategy.Options);
        if (!granted)
        {
            if (!_waiting.Contains(instanceId))
            {
                _waiting.Add(instanceId);
                if (_strategy.UsesPlanner)
                {
                    At(move.LatestStart.AddTicks(1), () => TryStart(instanceId)); // do not wait past the latest start
                }
            }

            return;
        }

        _waiting.Remove(instanceId);
        move = move.Start(_now);
        _moves[instanceId] = move;

        // The dirty rate met during the migration, spread around the one observed before.
        var noise = _scenario.DirtyRateNoise > 0 ? Math.Exp(_scenario.DirtyRateNoise * Gaussian()) : 1;
        var expected = MigrationWorkload.Of(move.Instance);
        var run = new MigrationRun(expected with { DirtyRateBytesPerSecond = expected.DirtyRateBytesPerSecond * noise }, Policy);
        var transfer = new Transfer(instanceId, move.SourceHostId, move.DestinationHostId, run, _now);
        _transfers[instanceId] = transfer;
        Reshare();

        // What may cut the attempt short: the completion timeout, the planner's allowance, a failing destination.
        var memoryGiB = Math.Max(2, move.Instance.Size.MemoryMiB / 1024.0);
        if (_strategy.CompletionTimeoutPerGiB is { } perGiB)
        {
            At(_now + perGiB * memoryGiB, () => Abort(transfer, "Aborted at the completion timeout."));
        }

        if (_strategy.UsesPlanner)
        {
            At(_now + SlaPlanner.LiveAllowance(_predictions[instanceId], _strategy.Options), () => Abort(transfer, "Aborted: it overran its allowance."));
        }

        if (_scenario.DestinationFailureRate > 0 && _random.NextDouble() < _scenario.DestinationFailureRate)
        {
            At(_now + _predictions[instanceId].TotalTime * _random.NextDouble(), () => Abort(transfer, "The destination host failed."));
        }
    }

    /// <summary>
    /// Shares each NIC among the migrations using it: a migration gets its source's bandwidth over
    /// the migrations leaving that source, or its destination's over those arriving, whichever is less.
    /// </summary>
    private void Reshare()
    {
        var copying = _transfers.Values.Where(t => t.Copying).ToList();
        foreach (var transfer in copying)
        {
            transfer.BytesLeft -= transfer.Rate * (_now - transfer.LastUpdate).TotalSeconds;
            transfer.LastUpdate = _now;
            var rate = Math.Min(
                NicBytesPerSecond(transfer.Source) / copying.Count(t => t.Source == transfer.Source),
                NicBytesPerSecond(transfer.Destination) / copying.Count(t => t.Destination == transfer.Destination));
            if (rate != transfer.Rate || transfer.Version == 0)
            {
                transfer.Rate = rate;
                var version = ++transfer.Version;
                At(_now + TimeSpan.FromSeconds(Math.Max(0, transfer.BytesLeft) / rate), () => EndRound(transfer, version));
            }
        }
    }

    private double NicBytesPerSecond(string hostId) => _hosts[hostId].Spec.MigrationBandwidthMiBps * MigrationWorkload.MiB;

    private void EndRound(Transfer transfer, long version)
    {
        if (!IsCurrent(transfer) || transfer.Version != version || !transfer.Copying || transfer.Run.Result is not null)
        {
            return;
        }

        transfer.Run.CompleteRound(_now - transfer.RoundStartedAt, transfer.Rate);
        if (transfer.Run.Result is null)
        {
            transfer.BytesLeft = transfer.Run.BytesToSend;
            transfer.RoundStartedAt = transfer.LastUpdate = _now;
            var next = ++transfer.Version;
            At(_now + TimeSpan.FromSeconds(transfer.BytesLeft / transfer.Rate), () => EndRound(transfer, next));
            return;
        }

        var plan = transfer.Run.Result;
        if (!plan.Succeeded && _strategy.CompletionTimeoutPerGiB is not null)
        {
            return; // without a round cap it keeps copying, and its share, until the timeout aborts it
        }

        transfer.Copying = false;
        Reshare();
        if (plan.Succeeded)
        {
            At(_now + plan.Downtime + plan.PostCopyTime, () => Finish(transfer, plan));
        }
        else
        {
            Abort(transfer, plan.FailureReason!);
        }
    }

    private bool IsCurrent(Transfer transfer) => _transfers.GetValueOrDefault(transfer.InstanceId) == transfer;

    private void Finish(Transfer transfer, MigrationPlan plan)
    {
        if (!IsCurrent(transfer))
        {
            return;
        }

        End(transfer);
        var move = _moves[transfer.InstanceId];
        Complete(move, new MigrationOutcome(plan.Method, plan.Downtime.TotalMilliseconds, plan.Rounds.Count, plan.TotalBytes,
            plan.MaxThrottle * 100, move.InstanceId, move.Instance.PrivateIp));
    }

    private void Abort(Transfer transfer, string failure)
    {
        if (!IsCurrent(transfer))
        {
            return;
        }

        End(transfer);
        Failed(_moves[transfer.InstanceId], failure, transfer.Run.Result);
        StartWaiting();
    }

    private void End(Transfer transfer)
    {
        _transfers.Remove(transfer.InstanceId);
        _slots = _slots.Release(_moves[transfer.InstanceId].MoveId);
        Reshare();
    }

    private void FinishReboot(string instanceId)
    {
        var move = _moves[instanceId];
        Complete(move, new MigrationOutcome(null, _strategy.Options.RebootDuration.TotalMilliseconds, 0, 0, 0, move.InstanceId,
            move.Instance.PrivateIp));
    }

    private void Complete(InstanceMove move, MigrationOutcome outcome)
    {
        _moves[move.InstanceId] = move.Complete(_now, outcome);
        _hosts[move.DestinationHostId] = _hosts[move.DestinationHostId].CompleteArrival(move.InstanceId);
        _hosts[move.SourceHostId] = _hosts[move.SourceHostId].Depart(move.InstanceId);
        StartWaiting();
    }

    private void StartWaiting()
    {
        foreach (var waiting in _waiting.ToList())
        {
            TryStart(waiting);
        }
    }

    private void Failed(InstanceMove move, string failure, MigrationPlan? attempt)
    {
        move = move.LiveAttemptFailed(_now, failure);
        _hosts[move.FailedDestinations[^1]] = _hosts[move.FailedDestinations[^1]].CancelReservation(move.InstanceId);
        var excluded = _strategy.UsesPlanner ? [move.SourceHostId, .. move.FailedDestinations] : new[] { move.SourceHostId };
        var destination = Reserve(move.Instance, move.SourceHostId, excluded)
                          ?? Reserve(move.Instance, move.SourceHostId, [move.SourceHostId]);
        if (destination is null)
        {
            _moves[move.InstanceId] = move;
            _unplaced.Add(move.InstanceId);
            return;
        }

        // An attempt that ran to its end (it did not converge) is the better prediction now.
        var decision = Decide(move.Instance, attempt ?? _predictions[move.InstanceId], move.FailedLiveAttempts);
        move = move.Replan(_now, decision, destination);
        _moves[move.InstanceId] = move;
        var instanceId = move.InstanceId;
        At(move.NotBefore, () => TryStart(instanceId));
    }

    /// <summary>A live attempt on the wire: its migration, its share of bandwidth, and where it is in its round.</summary>
    private sealed class Transfer(string instanceId, string source, string destination, MigrationRun run, DateTimeOffset now)
    {
        public string InstanceId { get; } = instanceId;

        public string Source { get; } = source;

        public string Destination { get; } = destination;

        public MigrationRun Run { get; } = run;

        /// <summary>Still sending rounds (false once it pauses for stop-and-copy or switches to post-copy).</summary>
        public bool Copying { get; set; } = true;

        public double BytesLeft { get; set; } = run.BytesToSend;

        public double Rate { get; set; }

        public DateTimeOffset RoundStartedAt { get; set; } = now;

        public DateTimeOffset LastUpdate { get; set; } = now;

        /// <summary>Grows whenever the round's end moves, so events for an older end are ignored.</summary>
        public long Version { get; set; }
    }

    private double Gaussian() =>
        Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
