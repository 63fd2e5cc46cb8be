using System.Collections.Concurrent;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Draining;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Notices;
using MaintenancePortal.Grains;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Hypervisors;
using MaintenancePortal.Hypervisors.Simulated;
using MaintenancePortal.Simulation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Orleans.Storage;

namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// Drains the hosts of an <see cref="EvacuationScenario"/> on the product's own grains: one
/// in-process silo on loopback ports, grain state in memory, the simulated hypervisor, and every
/// clock (grain timers, reminders, the grains' time, the hypervisor) on one
/// <see cref="FakeTimeProvider"/> that the runner moves forward. While a move runs it steps by the
/// poll interval; otherwise it jumps to the next moment the drain step would decide something
/// (<see cref="DrainStep.WakeAt"/>). After each step it waits until the grains' copies of the moves
/// stop changing. The result has the simulator's shape, so the two can be compared.
/// </summary>
/// <remarks>
/// The simulated hypervisor runs each migration at its planned bandwidth share (the link is not
/// shared round by round as in the simulator). The scenario's world is put in front of it
/// (<see cref="ScenarioWorld"/>): each live attempt meets a dirty rate spread around the observed one,
/// and its destination may fail part-way. Bytes sent count completed moves only.
/// </remarks>
public static class GrainDrain
{
    /// <summary>How often running moves are polled, in the clock of the run.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static async Task<EvacuationResult> RunAsync(EvacuationScenario scenario, MaintenanceOptions options,
        CancellationToken cancellationToken = default)
    {
        var time = new FakeTimeProvider(scenario.Trigger);
        var events = new RecordingPublisher();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(LoopbackPort.Free(), LoopbackPort.Free())
            .AddMemoryGrainStorage(StorageNames.Maintenance)
            .UseInMemoryReminderService()
            .ConfigureServices(services =>
            {
                services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
                services.AddSingleton<IMoveIndexStore, MemoryMoveIndexStore>();
                services.AddSingleton<INoticeChannels, PortalOnlyNoticeChannels>();
                services.AddSingleton<ILifecycleEventPublisher>(events);
                services.AddSingleton<IHypervisorDriver>(new ScenarioWorld(scenario, time, new SimulatedHypervisorDriver(time,
                    new SimulatedHypervisorOptions { SpeedUp = 1, RebootDuration = options.RebootDuration })));
                services.AddSingleton(Microsoft.Extensions.Options.Options.Create(Copy(options, PollInterval)));
                services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new MigrationPolicy()));
            }));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            return await DrainAsync(host.Services.GetRequiredService<IGrainFactory>(), time, events, scenario, options, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<EvacuationResult> DrainAsync(IGrainFactory grains, FakeTimeProvider time, RecordingPublisher events,
        EvacuationScenario scenario, MaintenanceOptions options, CancellationToken cancellationToken)
    {
        await grains.SeedAsync(scenario.Fleet, cancellationToken);
        foreach (var (tenantId, preferences) in scenario.Preferences)
        {
            await grains.GetGrain<ITenantGrain>(tenantId).SetPreferencesAsync(preferences);
        }

        // A wave, as the simulator runs it: every host stops taking instances before any is placed.
        var drains = scenario.HostsToDrain.ToDictionary(h => h, h => $"sim-{h}");
        foreach (var (hostId, maintenanceId) in drains)
        {
            await grains.GetGrain<IDedicatedHostGrain>(hostId).BeginMaintenanceAsync(maintenanceId);
        }

        foreach (var (hostId, maintenanceId) in drains)
        {
            await grains.GetGrain<IMaintenanceEventGrain>(maintenanceId).StartAsync(hostId, scenario.Reason);
        }

        var rules = new DrainRules(options, new MigrationPolicy());
        var end = scenario.Trigger + options.CompletionSla + options.SafetyMargin;
        var steps = 0;
        IReadOnlyList<MaintenanceEvent>? before = null;
        while (time.GetUtcNow() < end)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var watched = await SettledAsync(grains, drains.Values);
            if (watched.All(e => e.State != MaintenanceState.Draining))
            {
                break;
            }

            // Tick by tick while moves run, or while the last tick changed something and the step has more to do now
            // (a replanned move to start); otherwise straight to the next moment the step decides something.
            var now = time.GetUtcNow();
            var running = watched.SelectMany(e => e.Moves.Values).Any(m => m.State == MoveState.Migrating);
            var stepsNow = watched.Select(e => DrainStep.Next(e, new HashSet<string>(), now, rules)).ToList();
            var changed = before is null || !before.Zip(watched).All(p => Same(p.First, p.Second));
            var owed = changed && stepsNow.Any(s => s.Actions.Any(a => a is DrainMoveAction or MarkDrained));
            var wake = stepsNow.Select(s => s.WakeAt).Where(t => t is not null).Min();
            var next = running ? now + PollInterval : owed ? now + TimeSpan.FromSeconds(1) : wake ?? now + TimeSpan.FromMinutes(1);
            before = watched;
            time.Advance(next - now > TimeSpan.FromSeconds(1) ? next - now : TimeSpan.FromSeconds(1));
            if (++steps > 200_000)
            {
                throw new InvalidOperationException($"The drain did not end within 200,000 steps (seed {scenario.Seed}).");
            }
        }

        return await ResultAsync(grains, scenario, rules, drains, events, await SettledAsync(grains, drains.Values));
    }

    /// <summary>
    /// Reads every maintenance event until two reads in a row agree: the ticks the clock set off,
    /// and the calls and notices they made, have been taken in.
    /// </summary>
    private static async Task<IReadOnlyList<MaintenanceEvent>> SettledAsync(IGrainFactory grains, IEnumerable<string> maintenanceIds)
    {
        IReadOnlyList<MaintenanceEvent>? last = null;
        for (var i = 0; i < 50; i++)
        {
            var read = await Task.WhenAll(maintenanceIds.Select(async id =>
                await grains.GetGrain<IMaintenanceEventGrain>(id).GetAsync() ?? throw new InvalidOperationException($"Maintenance {id} is gone.")));
            foreach (var instanceId in read.SelectMany(e => e.Moves.Values).Where(m => m.State == MoveState.Migrating).Select(m => m.InstanceId))
            {
                await grains.GetGrain<IInstanceGrain>(instanceId).GetAsync(); // behind the instance's own tick
            }

            if (last is not null && last.Zip(read).All(p => Same(p.First, p.Second)))
            {
                return read;
            }

            last = read;
            await Task.Delay(TimeSpan.FromMilliseconds(i < 3 ? 0 : 2));
        }

        return last!;
    }

    private static bool Same(MaintenanceEvent a, MaintenanceEvent b) =>
        a.State == b.State && a.Unplaced.SetEquals(b.Unplaced) && a.Moves.Count == b.Moves.Count
        && a.Moves.All(m => b.Moves.TryGetValue(m.Key, out var other) && other.Version == m.Value.Version && other.MoveId == m.Value.MoveId);

    private static async Task<EvacuationResult> ResultAsync(IGrainFactory grains, EvacuationScenario scenario, DrainRules rules,
        IReadOnlyDictionary<string, string> drains, RecordingPublisher events, IReadOnlyList<MaintenanceEvent> watched)
    {
        var instanceIds = scenario.Fleet.Instances.Select(i => i.Instance.InstanceId).ToList();
        var moves = (await Task.WhenAll(instanceIds.Select(id => grains.GetGrain<IInstanceGrain>(id).GetAsync())))
            .SelectMany(v => v?.Moves ?? []).Where(m => drains.Values.Contains(m.MaintenanceId)).ToList();
        var hosts = (await Task.WhenAll(scenario.Fleet.Hosts.Select(h => grains.GetGrain<IDedicatedHostGrain>(h.HostId).GetAsync())))
            .OfType<DedicatedHost>().ToDictionary(h => h.HostId);
        var slots = await grains.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default).GetAsync();

        var log = moves.SelectMany(m => m.History.Where(h => h.Step != MoveStep.Round).Select(h => new DrainRecord(h.At, m.InstanceId,
                $"{h.Step} {h.HostId} {h.Detail}")))
            .Concat(events.AtRisk.Select(e => new DrainRecord(e.OccurredAt, e.InstanceId, $"at risk: {e.Why}")))
            .OrderBy(r => r.At).ToList();
        // Only completed moves report what they sent: what a failed attempt carried is not known here.
        return EvacuationResult.Measure("MaintenancePortal on its grains", scenario, rules, watched, moves, hosts,
            h => moves.Where(m => m is { State: MoveState.Completed, Action: MoveAction.LiveMigration } && m.SourceHostId == h)
                .Sum(m => (double)m.Receipt!.BytesTransferred),
            log, slots.Held.Count, 0);
    }

    private static MaintenanceOptions Copy(MaintenanceOptions options, TimeSpan poll)
    {
        var copy = options.Copy();
        copy.StatusPollInterval = poll;
        return copy;
    }

    /// <summary>
    /// What the scenario's world does to live attempts, in front of the simulated hypervisor: the
    /// dirty rate an attempt meets is spread around the observed one (log-normal), and its
    /// destination fails part-way with the scenario's chance. Each draw depends only on the seed, the
    /// instance and the attempt's number, so a case runs the same whatever order the grains start
    /// attempts in.
    /// </summary>
    private sealed class ScenarioWorld(EvacuationScenario scenario, TimeProvider time, IHypervisorDriver inner) : IHypervisorDriver
    {
        private readonly ConcurrentDictionary<string, DateTimeOffset> _failsAt = new();

        public Task StartLiveMigrationAsync(LiveMigrationRequest request, CancellationToken cancellationToken = default)
        {
            var random = new Random(StableSeed(scenario.Seed, request.Instance.InstanceId, request.MigrationId[(request.MigrationId.LastIndexOf('-') + 1)..]));
            var noise = scenario.DirtyRateFactor(random);
            if (scenario.DestinationFailsAt(random) is { } share)
            {
                var planned = MigrationModel.Plan(MigrationWorkload.Of(request.Instance), request.BandwidthMiBps * MigrationWorkload.MiB, request.Policy);
                _failsAt.TryAdd(request.MigrationId, time.GetUtcNow() + planned.TotalTime * share);
            }

            var met = request.Instance with { DirtyRateMiBps = request.Instance.DirtyRateMiBps * noise };
            return inner.StartLiveMigrationAsync(request with { Instance = met }, cancellationToken);
        }

        /// <summary>FNV-1a over the seed and the texts: the same in every process (string hash codes are not).</summary>
        private static int StableSeed(int seed, params string[] texts)
        {
            var hash = 2166136261u ^ (uint)seed;
            foreach (var c in string.Concat(texts))
            {
                hash = (hash ^ c) * 16777619u;
            }

            return (int)hash;
        }

        public async Task<LiveMigrationStatus> GetStatusAsync(string migrationId, CancellationToken cancellationToken = default)
        {
            var status = await inner.GetStatusAsync(migrationId, cancellationToken);
            return _failsAt.TryGetValue(migrationId, out var failsAt) && time.GetUtcNow() >= failsAt && status.Phase != MigrationPhase.Completed
                ? new LiveMigrationStatus(MigrationPhase.Failed, Error: "The destination host failed.")
                : status;
        }

        public Task StartRebootMoveAsync(RebootMoveRequest request, CancellationToken cancellationToken = default) =>
            inner.StartRebootMoveAsync(request, cancellationToken);

        public Task AbortAsync(string migrationId, CancellationToken cancellationToken = default) => inner.AbortAsync(migrationId, cancellationToken);

        public Task ForceCompleteAsync(string migrationId, ForceCompletion mode, CancellationToken cancellationToken = default) =>
            inner.ForceCompleteAsync(migrationId, mode, cancellationToken);
    }

    /// <summary>Takes every lifecycle event the grains publish, and keeps the at-risk warnings.</summary>
    private sealed class RecordingPublisher : ILifecycleEventPublisher
    {
        private readonly ConcurrentQueue<SlaAtRisk> _atRisk = new();

        public IEnumerable<SlaAtRisk> AtRisk => _atRisk;

        public Task PublishAsync(IMaintenanceLifecycleEvent @event, CancellationToken cancellationToken = default)
        {
            if (@event is SlaAtRisk atRisk)
            {
                _atRisk.Enqueue(atRisk);
            }

            return Task.CompletedTask;
        }
    }
}
