using MaintenancePortal.Domain.Draining;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Placement;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Simulation;

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
    double DestinationFailureRate = 0)
{
    /// <summary>Each tenant's preferences; a tenant not listed has none (live migration as soon as notice allows).</summary>
    public IReadOnlyDictionary<string, TenantPreferences> Preferences { get; init; } = new Dictionary<string, TenantPreferences>();

    /// <summary>How much the dirty rate a live attempt meets differs from the one observed before: a log-normal factor around 1.</summary>
    public double DirtyRateFactor(Random random) =>
        DirtyRateNoise > 0
            ? Math.Exp(DirtyRateNoise * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))
            : 1;

    /// <summary>Whether a live attempt's destination fails, and if so when, as a share of the attempt's predicted time.</summary>
    public double? DestinationFailsAt(Random random) =>
        DestinationFailureRate > 0 && random.NextDouble() < DestinationFailureRate ? random.NextDouble() : null;
}

/// <summary>One drained host: how long it took and what had to cross its link.</summary>
/// <param name="Makespan">From the earliest allowed start (trigger + the reason's notice) to its last instance gone.</param>
/// <param name="LiveMemoryBytes">The memory of the instances that left it live (a reboot-based move sends none).</param>
/// <param name="BytesSent">What its link actually carried: every round, pause and post-copy pull of every attempt.</param>
public sealed record HostDrain(string HostId, TimeSpan Makespan, double LinkBytesPerSecond, long LiveMemoryBytes, double BytesSent)
{
    /// <summary>No drain can be faster than sending the live instances' memory once: Σ M / B.</summary>
    public TimeSpan MemoryBound => TimeSpan.FromSeconds(LiveMemoryBytes / LinkBytesPerSecond);

    /// <summary>The time the link needed for what it actually sent: Σ bytes sent / B (the makespan is never below it).</summary>
    public TimeSpan SentBound => TimeSpan.FromSeconds(BytesSent / LinkBytesPerSecond);
}

/// <summary>One decision or event of a drain, in the order made: what the action logs of two runs compare.</summary>
public sealed record DrainRecord(DateTimeOffset At, string InstanceId, string What);

/// <summary>What an evacuation did: every move as it ended, every host as it ended, each drained host's figures, and the log.</summary>
/// <param name="Unplaced">Instances no host had room for.</param>
/// <param name="SlotsHeld">Migration slots still held at the end (none, when every live attempt gave its slot back).</param>
/// <param name="WaveMakespan">From the earliest allowed start to the last instance gone, over all drained hosts.</param>
/// <param name="WaveBound">
/// The fastest the wave could be: the slowest host's Σ M / B, or all live memory over the links the
/// cluster's slot limit lets run at once, whichever is longer.
/// </param>
public sealed record EvacuationResult(
    string Strategy,
    DateTimeOffset Deadline,
    IReadOnlyList<InstanceMove> Moves,
    IReadOnlyDictionary<string, DedicatedHost> Hosts,
    IReadOnlyList<string> Unplaced,
    IReadOnlyDictionary<string, HostDrain> Drains,
    TimeSpan WaveMakespan,
    TimeSpan WaveBound,
    IReadOnlyList<DrainRecord> Log,
    int SlotsHeld,
    int Events)
{
    /// <summary>
    /// Measures a finished evacuation, however it was carried out: each drained host's makespan (from
    /// the trigger plus the reason's notice) and bounds, and the wave's bound under the cluster's slot limit.
    /// </summary>
    /// <param name="bytesSent">What each drained host's link carried, as far as the runner knows it.</param>
    public static EvacuationResult Measure(string strategy, EvacuationScenario scenario, DrainRules rules,
        IReadOnlyCollection<MaintenanceEvent> drains, IReadOnlyList<InstanceMove> moves, IReadOnlyDictionary<string, DedicatedHost> hosts,
        Func<string, double> bytesSent, IReadOnlyList<DrainRecord> log, int slotsHeld, int events)
    {
        var earliestStart = scenario.Trigger + rules.Profile(scenario.Reason).LiveNotice;
        var measured = scenario.HostsToDrain.ToDictionary(h => h, h =>
        {
            var fromHost = moves.Where(m => m.SourceHostId == h).ToList();
            var makespan = fromHost.Select(m => m.FinishedAt ?? DateTimeOffset.MaxValue).DefaultIfEmpty(earliestStart).Max() - earliestStart;
            var liveMemory = fromHost.Where(m => m is { State: MoveState.Completed, Action: MoveAction.LiveMigration })
                .Sum(m => m.Instance.Size.MemoryMiB * MigrationWorkload.MiB);
            return new HostDrain(h, makespan, hosts[h].Spec.MigrationBandwidthMiBps * MigrationWorkload.MiB, liveMemory, bytesSent(h));
        });

        // At most MaxPerCluster migrations run at once, each on at most one link: the fastest links that many at a time.
        var links = measured.Values.Select(d => d.LinkBytesPerSecond).OrderDescending().Take(Math.Max(1, rules.Options.MaxPerCluster)).Sum();
        var waveBound = TimeSpan.FromSeconds(measured.Values.Sum(d => (double)d.LiveMemoryBytes) / links);
        var slowestHost = measured.Values.Select(d => d.MemoryBound).DefaultIfEmpty(TimeSpan.Zero).Max();
        var deadline = drains.Select(d => d.Deadline).DefaultIfEmpty(scenario.Trigger + rules.Options.CompletionSla).Max();
        return new EvacuationResult(strategy, deadline, moves, hosts, [.. drains.SelectMany(d => d.Unplaced)], measured,
            measured.Values.Select(d => d.Makespan).DefaultIfEmpty(TimeSpan.Zero).Max(), waveBound > slowestHost ? waveBound : slowestHost,
            log, slotsHeld, events);
    }
}

/// <summary>
/// A discrete-event simulation of draining hosts. Every decision is the domain's drain step
/// (<see cref="DrainStep"/>) with the strategy's <see cref="DrainRules"/>, carried out here on a
/// simulated clock: capacity ledgers, instance moves and migration slots are the domain's; what the
/// simulator adds is the world (live migrations sharing each link round by round, dirty rates that
/// differ from the observed ones, destinations that fail). Deterministic for a seed; bounded in events.
/// </summary>
public sealed class EvacuationSimulator
{
    private const int MaxEvents = 2_000_000;

    /// <summary>How many times the steps are taken again at one instant while they still change something.</summary>
    private const int MaxStepsPerInstant = 8;

    private readonly EvacuationScenario _scenario;
    private readonly EvacuationStrategy _strategy;
    private readonly DrainRules _rules;
    private readonly Random _random;
    private readonly Dictionary<string, InstanceSpec> _instances;
    private readonly Dictionary<string, DedicatedHost> _hosts;
    private readonly Dictionary<string, InstanceMove> _moves = [];
    private readonly Dictionary<string, MaintenanceEvent> _drains = [];
    private readonly Dictionary<string, HashSet<string>> _announced = [];
    private readonly Dictionary<string, Transfer> _transfers = [];
    private readonly Dictionary<string, double> _sent = [];
    private readonly HashSet<DateTimeOffset> _wakeUps = [];
    private readonly List<DrainRecord> _log = [];
    private readonly PriorityQueue<Action, (DateTimeOffset, long)> _events = new();
    private MigrationSlots _slots = MigrationSlots.Empty;
    private DateTimeOffset _now;
    private long _sequence;

    private EvacuationSimulator(EvacuationScenario scenario, EvacuationStrategy strategy)
    {
        _scenario = scenario;
        _strategy = strategy;
        _rules = strategy.Rules;
        _random = new Random(scenario.Seed);
        _now = scenario.Trigger;
        _instances = scenario.Fleet.Instances.ToDictionary(i => i.Instance.InstanceId, i => i.Instance);
        _hosts = scenario.Fleet.Hosts.ToDictionary(h => h.HostId, DedicatedHost.Create);
        foreach (var placement in scenario.Fleet.Instances)
        {
            _hosts[placement.HostId] = _hosts[placement.HostId].Place(placement.Instance.InstanceId, placement.Instance.Size);
        }
    }

    public static EvacuationResult Run(EvacuationScenario scenario, EvacuationStrategy strategy) =>
        new EvacuationSimulator(scenario, strategy).Run();

    private EvacuationResult Run()
    {
        // A wave: every host stops taking instances before any is placed, so none is moved onto a host about to drain.
        foreach (var hostId in _scenario.HostsToDrain)
        {
            var maintenanceId = $"sim-{hostId}";
            _hosts[hostId] = _hosts[hostId].BeginMaintenance(maintenanceId);
            _drains[hostId] = MaintenanceEvent.Trigger(maintenanceId, hostId, _hosts[hostId].Spec.TenantId!, _scenario.Reason, _now, _rules.Options);
            _announced[hostId] = [];
            _sent[hostId] = 0;
        }

        foreach (var hostId in _scenario.HostsToDrain)
        {
            foreach (var instanceId in _hosts[hostId].Placed.Keys)
            {
                Place(hostId, instanceId);
            }
        }

        Step();
        var events = 0;
        while (_events.TryDequeue(out var action, out var at))
        {
            if (++events > MaxEvents)
            {
                throw new InvalidOperationException($"The evacuation did not end within {MaxEvents} events (seed {_scenario.Seed}).");
            }

            _now = at.Item1;
            action();
        }

        return Result(events);
    }

    private EvacuationResult Result(int events) => EvacuationResult.Measure(_strategy.Name, _scenario, _rules, _drains.Values,
        [.. _moves.Values], _hosts, h => _sent[h], _log, _slots.Held.Count, events);

    private void At(DateTimeOffset time, Action action) => _events.Enqueue(action, (time, _sequence++));

    private void Record(string instanceId, string what) => _log.Add(new DrainRecord(_now, instanceId, what));

    /// <summary>
    /// Takes each drain's next step and carries it out, again while a step changed something (a
    /// placed or replanned move may start at once), then wakes up when the next step is due.
    /// </summary>
    private void Step()
    {
        for (var i = 0; i < MaxStepsPerInstant; i++)
        {
            var changed = false;
            foreach (var hostId in _scenario.HostsToDrain)
            {
                var step = DrainStep.Next(_drains[hostId], _announced[hostId], _now, _rules);
                foreach (var action in step.Actions)
                {
                    changed |= CarryOut(hostId, action);
                }

                if (step.WakeAt is { } at && _wakeUps.Add(at))
                {
                    At(at, () =>
                    {
                        _wakeUps.Remove(at);
                        Step();
                    });
                }
            }

            if (!changed)
            {
                return;
            }
        }
    }

    /// <summary>Carries out one action; true when it changed what the next step decides.</summary>
    private bool CarryOut(string hostId, DrainAction action)
    {
        switch (action)
        {
            case PlaceInstance place:
                return Place(hostId, place.InstanceId);
            case ReplanMove replan:
                return Replan(_moves[replan.Move.InstanceId]);
            case AbortMove abort:
                Abort(_transfers[abort.Move.InstanceId], abort.Why);
                return true;
            case StartMove start:
                return Start(_moves[start.Move.InstanceId], start.Slot, start.Priority);
            case AnnounceAtRisk atRisk:
                _announced[hostId].Add(atRisk.InstanceId);
                Record(atRisk.InstanceId, $"at risk: {atRisk.Why}");
                return false;
            case MarkDrained:
                _drains[hostId] = _drains[hostId].MarkDrained();
                _hosts[hostId] = _hosts[hostId].CompleteDrain();
                return false;
            default:
                throw new InvalidOperationException($"Unknown drain action {action}.");
        }
    }

    private bool Place(string hostId, string instanceId)
    {
        var instance = _instances[instanceId];
        var destination = Reserve(instance, hostId, [hostId]);
        var drain = _drains[hostId];
        if (destination is null)
        {
            if (!drain.Unplaced.Contains(instanceId))
            {
                _drains[hostId] = drain.NoRoomFor(instanceId);
                Record(instanceId, "no room");
            }

            return false;
        }

        var decision = Decide(drain, instance, failedLiveAttempts: 0);
        Track(InstanceMove.Schedule($"mv-{instanceId}", drain.MaintenanceId, instance, drain.Reason, hostId, destination, _now,
            drain.Deadline, decision));
        Record(instanceId, $"scheduled {decision.Action} to {destination}");
        return true;
    }

    private bool Replan(InstanceMove move)
    {
        var destination = move.NeedsReplan
            ? _rules.RetryExclusions(move.SourceHostId, move.FailedDestinations)
                .Select(excluded => Reserve(move.Instance, move.SourceHostId, excluded)).FirstOrDefault(d => d is not null)
            : move.DestinationHostId;
        if (destination is null)
        {
            return false; // decided again when room frees up
        }

        var decision = Decide(_drains[move.SourceHostId], move.Instance, move.FailedLiveAttempts);
        Track(move.Replan(_now, decision, destination));
        Record(move.InstanceId, $"replanned {decision.Action} to {destination}");
        return true;
    }

    private MoveDecision Decide(MaintenanceEvent drain, InstanceSpec instance, int failedLiveAttempts) =>
        _rules.Decide(drain, instance, _scenario.Preferences.GetValueOrDefault(instance.TenantId, TenantPreferences.None),
            Predict(instance, drain.HostId), failedLiveAttempts, _now);

    private MigrationPlan Predict(InstanceSpec instance, string sourceHostId) =>
        _rules.Predict(instance, _rules.BandwidthShareMiBps(_hosts[sourceHostId].Spec.MigrationBandwidthMiBps), _scenario.Reason);

    private void Track(InstanceMove move)
    {
        _moves[move.InstanceId] = move;
        _drains[move.SourceHostId] = _drains[move.SourceHostId].Track(move);
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

    private bool Start(InstanceMove move, MigrationSlot? slot, int priority)
    {
        if (slot is not null)
        {
            (_slots, var granted) = _slots.Request(slot, priority, _now, _rules.Options);
            if (!granted)
            {
                return false;
            }
        }

        move = move.Start(_now);
        Track(move);
        Record(move.InstanceId, $"started {move.Action} to {move.DestinationHostId}");
        var instanceId = move.InstanceId;
        if (move.Action == MoveAction.RebootMove)
        {
            At(_now + _rules.Options.RebootDuration, () =>
            {
                Complete(_moves[instanceId], new MigrationOutcome(null, _rules.Options.RebootDuration.TotalMilliseconds, 0, 0, 0,
                    instanceId, _moves[instanceId].Instance.PrivateIp));
                Step();
            });
            return true;
        }

        var expected = MigrationWorkload.Of(move.Instance);
        var run = new MigrationRun(expected with { DirtyRateBytesPerSecond = expected.DirtyRateBytesPerSecond * _scenario.DirtyRateFactor(_random) },
            _rules.PolicyFor(_scenario.Reason));
        var transfer = new Transfer(instanceId, move.SourceHostId, move.DestinationHostId, run, _now);
        _transfers[instanceId] = transfer;
        Reshare();

        if (_scenario.DestinationFailsAt(_random) is { } share)
        {
            At(_now + Predict(move.Instance, move.SourceHostId).TotalTime * share, () =>
            {
                Abort(transfer, "The destination host failed.");
                Step();
            });
        }

        return true;
    }

    /// <summary>
    /// Brings every transfer's bytes up to now, then shares each link among the transfers using it:
    /// a transfer gets its source's bandwidth over the transfers leaving that source, or its
    /// destination's over those arriving, whichever is less. A paused or post-copying transfer keeps
    /// its share until its last byte is sent.
    /// </summary>
    private void Reshare()
    {
        var transfers = _transfers.Values.ToList();
        foreach (var transfer in transfers)
        {
            var sent = transfer.Rate * (_now - transfer.LastUpdate).TotalSeconds;
            transfer.BytesLeft -= sent;
            _sent[transfer.Source] += sent;
            transfer.LastUpdate = _now;
        }

        foreach (var transfer in transfers)
        {
            var rate = Math.Min(
                LinkBytesPerSecond(transfer.Source) / transfers.Count(t => t.Source == transfer.Source),
                LinkBytesPerSecond(transfer.Destination) / transfers.Count(t => t.Destination == transfer.Destination));
            if (rate != transfer.Rate || transfer.Version == 0)
            {
                transfer.Rate = rate;
                ScheduleEnd(transfer);
            }
        }
    }

    /// <summary>When what the transfer is sending now is through at its rate (never, for one copying until it is aborted).</summary>
    private void ScheduleEnd(Transfer transfer)
    {
        var version = ++transfer.Version;
        if (!double.IsPositiveInfinity(transfer.BytesLeft))
        {
            At(_now + TimeSpan.FromSeconds(Math.Max(0, transfer.BytesLeft) / transfer.Rate), () => EndOfSending(transfer, version));
        }
    }

    private double LinkBytesPerSecond(string hostId) => _hosts[hostId].Spec.MigrationBandwidthMiBps * MigrationWorkload.MiB;

    private void EndOfSending(Transfer transfer, long version)
    {
        if (!IsCurrent(transfer) || transfer.Version != version)
        {
            return;
        }

        Reshare(); // brings the bytes sent up to now
        if (transfer.Run.Result is { } finished)
        {
            Finish(transfer, finished);
            Step();
            return;
        }

        transfer.Run.CompleteRound(_now - transfer.RoundStartedAt, transfer.Rate);
        transfer.RoundStartedAt = _now;
        if (transfer.Run.Result is not { } plan)
        {
            transfer.BytesLeft = transfer.Run.BytesToSend;
        }
        else if (plan.Succeeded)
        {
            // Paused for the last copy, or resumed on the destination while it pulls the rest: the link carries it all.
            transfer.PausedAt = _now;
            transfer.BytesLeft = plan.PausedBytes + plan.PostCopyBytes;
        }
        else if (_strategy.CopiesUntilAborted)
        {
            transfer.BytesLeft = double.PositiveInfinity; // it keeps copying, and its share, until its allowance aborts it
        }
        else
        {
            Abort(transfer, plan.FailureReason!);
            Step();
            return;
        }

        ScheduleEnd(transfer);
    }

    private bool IsCurrent(Transfer transfer) => _transfers.GetValueOrDefault(transfer.InstanceId) == transfer;

    private void Finish(Transfer transfer, MigrationPlan plan)
    {
        End(transfer);
        var move = _moves[transfer.InstanceId];
        // Pre-copy pauses for the whole last copy; post-copy only while the device state goes across.
        var downtime = plan.Method == MigrationMethod.PreCopy
            ? _now - transfer.PausedAt
            : TimeSpan.FromSeconds(plan.PausedBytes / transfer.Rate);
        Complete(move, new MigrationOutcome(plan.Method, downtime.TotalMilliseconds, plan.Rounds.Count, plan.TotalBytes,
            plan.MaxThrottle * 100, move.InstanceId, move.Instance.PrivateIp));
    }

    /// <summary>The live attempt stops; the instance stays on its source and the move waits to be replanned by the next step.</summary>
    private void Abort(Transfer transfer, string failure)
    {
        if (!IsCurrent(transfer))
        {
            return;
        }

        End(transfer);
        var move = _moves[transfer.InstanceId].LiveAttemptFailed(_now, failure);
        _hosts[move.FailedDestinations[^1]] = _hosts[move.FailedDestinations[^1]].CancelReservation(move.InstanceId);
        Track(move);
        Record(move.InstanceId, $"attempt failed: {failure}");
    }

    private void End(Transfer transfer)
    {
        Reshare();
        _transfers.Remove(transfer.InstanceId);
        _slots = _slots.Release(_moves[transfer.InstanceId].MoveId);
        Reshare();
    }

    private void Complete(InstanceMove move, MigrationOutcome outcome)
    {
        Track(move.Complete(_now, outcome));
        _hosts[move.DestinationHostId] = _hosts[move.DestinationHostId].CompleteArrival(move.InstanceId);
        _hosts[move.SourceHostId] = _hosts[move.SourceHostId].Depart(move.InstanceId);
        Record(move.InstanceId, $"completed {move.Action} on {move.DestinationHostId}");
    }

    /// <summary>A live attempt on the wire: its migration, its share of the links, and what is left of what it sends now.</summary>
    private sealed class Transfer(string instanceId, string source, string destination, MigrationRun run, DateTimeOffset now)
    {
        public string InstanceId { get; } = instanceId;

        public string Source { get; } = source;

        public string Destination { get; } = destination;

        public MigrationRun Run { get; } = run;

        /// <summary>Left of the current round, or of the pause and post-copy pull once the rounds are over.</summary>
        public double BytesLeft { get; set; } = run.BytesToSend;

        public double Rate { get; set; }

        public DateTimeOffset RoundStartedAt { get; set; } = now;

        public DateTimeOffset LastUpdate { get; set; } = now;

        /// <summary>When the rounds ended and the instance paused (or switched to post-copy).</summary>
        public DateTimeOffset PausedAt { get; set; }

        /// <summary>Grows whenever the end of what it sends moves, so events for an older end are ignored.</summary>
        public long Version { get; set; }

    }
}
