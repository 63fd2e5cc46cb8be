using System.Diagnostics;
using System.Globalization;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Simulation;
using MaintenancePortal.Tests.Shared;

// Evacuation benchmark: the same fleets and triggers under each strategy in the discrete-event simulator, then the
// product's own grains (one silo on a fake clock) beside the simulator on the first fleets.
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks [-- --fleets N] [--grain-fleets N]
var fleets = Option("--fleets", 40);
var grainFleets = Option("--grain-fleets", 10);
var trigger = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
var options = new MaintenanceOptions();
EvacuationStrategy[] strategies =
[
    EvacuationStrategy.MaintenancePortal(options), EvacuationStrategy.XenPlainPreCopy(options), EvacuationStrategy.KubeVirt(options),
    EvacuationStrategy.Nova(options),
];

Console.WriteLine($"# Evacuation benchmark ({fleets} seeded demo fleets per wave; {grainFleets} of them also on the grains)");
Console.WriteLine();
Console.WriteLine("Workloads: the demo fleet's mix (web, api, batch, cache, database; 8–128 GiB; 2–700 MiB/s of writes) on");
Console.WriteLine("10 Gbit/s (1,250 MiB/s) migration links. During a migration the dirty rate differs from the one observed");
Console.WriteLine("before (log-normal, sigma 0.5) and 1 % of destinations fail part-way. Downtime counts live moves only. Bounds count");
Console.WriteLine("only what crosses each link: the memory of instances moved live (Σ M), or every byte actually sent (Σ sent).");
var single = Scenarios(1);
var wave = Scenarios(2);
Table("One host per fleet (a single maintenance event)", single, strategies.Select(s => Runner(s.Name, sc => EvacuationSimulator.Run(sc, s))));
Table("A wave: two hosts of each of the four tenants at once (8 hosts)", wave, strategies.Select(s => Runner(s.Name, sc => EvacuationSimulator.Run(sc, s))));

// The grains meet the same world (dirty-rate surprises, failing destinations; their own draws of it) on the simulated
// hypervisor, which runs each migration at its planned share rather than sharing the link round by round.
Console.WriteLine();
Console.WriteLine("The product's own grains beside the simulator, on the first fleets of each table: the grains run on a fake clock,");
Console.WriteLine("polled every 2 s, with the same dirty-rate surprises and failing destinations.");
foreach (var (title, scenarios) in new[] { ("One host per fleet", single), ("The 8-host wave", wave) })
{
    Table($"{title}, on the grains", scenarios.Take(grainFleets).ToList(),
    [
        Runner("MaintenancePortal, simulator", sc => EvacuationSimulator.Run(sc, strategies[0])),
        Runner("MaintenancePortal, grains", sc => GrainDrain.RunAsync(sc, options).GetAwaiter().GetResult()),
    ]);
}

List<EvacuationScenario> Scenarios(int hostsPerTenant) =>
    [.. Enumerable.Range(0, fleets).Select(seed =>
    {
        var fleet = DemoFleet.Generate(new DemoFleetOptions { Tenants = 4, HostsPerTenant = 10, SpareHosts = 6, Seed = 1000 + seed });
        var tenants = hostsPerTenant == 1 ? [fleet.Tenants[seed % fleet.Tenants.Count]] : fleet.Tenants;
        var drained = tenants.SelectMany(t => fleet.Hosts.Where(h => h.TenantId == t.TenantId).Skip(seed % 4).Take(hostsPerTenant))
            .Select(h => h.HostId).ToList();
        return new EvacuationScenario(fleet, drained, MaintenanceReason.FirmwareUpdate, trigger, seed, DirtyRateNoise: 0.5,
            DestinationFailureRate: 0.01);
    })];

void Table(string title, IReadOnlyList<EvacuationScenario> scenarios, IEnumerable<(string Name, Func<EvacuationScenario, EvacuationResult> Run)> runners)
{
    Console.WriteLine();
    Console.WriteLine($"## {title}: {scenarios.Sum(s => s.HostsToDrain.Sum(h => s.Fleet.Instances.Count(i => i.HostId == h)))} moves per row");
    Console.WriteLine();
    Console.WriteLine("| Strategy | Live success | Downtime p50 | Downtime p99 | Makespan / (Σ M / B), mean | max | Makespan / (Σ sent / B), mean | min "
        + "| Wave / wave bound, mean | Reboots | SLA misses | Ran in |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var (name, run) in runners)
    {
        var watch = Stopwatch.StartNew();
        var results = scenarios.Select(run).ToList();
        watch.Stop();
        var moves = results.SelectMany(r => r.Moves.Select(m => (Move: m, r.Deadline))).ToList();
        var live = moves.Where(m => m.Move is { State: MoveState.Completed, Action: MoveAction.LiveMigration }).ToList();
        var downtimes = live.Select(m => m.Move.Receipt!.DowntimeMs).Order().ToList();
        var drains = results.SelectMany(r => r.Drains.Values).Where(d => d.LiveMemoryBytes > 0).ToList();
        var memoryRatios = drains.Select(d => d.Makespan / d.MemoryBound).ToList();
        var sentRatios = drains.Select(d => d.Makespan / d.SentBound).ToList();
        var waveRatios = results.Where(r => r.WaveBound > TimeSpan.Zero).Select(r => r.WaveMakespan / r.WaveBound).ToList();
        var misses = moves.Count(m => m.Move.State != MoveState.Completed || m.Move.FinishedAt > m.Deadline) + results.Sum(r => r.Unplaced.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {100.0 * live.Count / moves.Count:0.0} % | {Percentile(downtimes, 0.50):0.0} ms | {Percentile(downtimes, 0.99):0.0} ms "
            + $"| {memoryRatios.Average():0.00}× | {memoryRatios.Max():0.00}× | {sentRatios.Average():0.00}× | {sentRatios.Min():0.00}× "
            + $"| {waveRatios.Average():0.00}× | {moves.Count(m => m.Move.Action == MoveAction.RebootMove)} | {misses} | {watch.Elapsed.TotalSeconds:0.0} s |"));
    }
}

static (string Name, Func<EvacuationScenario, EvacuationResult> Run) Runner(string name, Func<EvacuationScenario, EvacuationResult> run) => (name, run);

int Option(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);

static double Percentile(IReadOnlyList<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
