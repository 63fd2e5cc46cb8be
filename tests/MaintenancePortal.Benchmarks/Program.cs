using System.Diagnostics;
using System.Globalization;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Simulation;

// Evacuation benchmark: the same fleets and triggers under each strategy, in the discrete-event simulator.
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks [-- --fleets N]
var fleets = args.SkipWhile(a => a != "--fleets").Skip(1).Select(int.Parse).FirstOrDefault(40);
var trigger = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
EvacuationStrategy[] strategies =
[
    EvacuationStrategy.MaintenancePortal(), EvacuationStrategy.XenPlainPreCopy(), EvacuationStrategy.KubeVirt(), EvacuationStrategy.Nova(),
];

Console.WriteLine($"# Evacuation benchmark ({fleets} seeded demo fleets per wave)");
Console.WriteLine();
Console.WriteLine("Workloads: the demo fleet's mix (web, api, batch, cache, database; 8–128 GiB; 2–700 MiB/s of writes) on");
Console.WriteLine("10 Gbit/s (1,250 MiB/s) migration links. During a migration the dirty rate differs from the one observed");
Console.WriteLine("before (log-normal, sigma 0.5) and 1 % of destinations fail part-way. Downtime counts live moves only. Bounds count");
Console.WriteLine("only what crosses each link: the memory of instances moved live (Σ M), or every byte actually sent (Σ sent).");
Run("One host per fleet (a single maintenance event)", 1);
Run("A wave: two hosts of each of the four tenants at once (8 hosts)", 2);

void Run(string title, int hostsPerTenant)
{
    var scenarios = Enumerable.Range(0, fleets).Select(seed =>
    {
        var fleet = DemoFleet.Generate(new DemoFleetOptions { Tenants = 4, HostsPerTenant = 10, SpareHosts = 6, Seed = 1000 + seed });
        var tenants = hostsPerTenant == 1 ? [fleet.Tenants[seed % fleet.Tenants.Count]] : fleet.Tenants;
        var drained = tenants.SelectMany(t => fleet.Hosts.Where(h => h.TenantId == t.TenantId).Skip(seed % 4).Take(hostsPerTenant))
            .Select(h => h.HostId).ToList();
        return new EvacuationScenario(fleet, drained, MaintenanceReason.FirmwareUpdate, trigger, seed, DirtyRateNoise: 0.5,
            DestinationFailureRate: 0.01);
    }).ToList();

    Console.WriteLine();
    Console.WriteLine($"## {title}: {scenarios.Sum(s => s.HostsToDrain.Sum(h => s.Fleet.Instances.Count(i => i.HostId == h)))} moves per strategy");
    Console.WriteLine();
    Console.WriteLine("| Strategy | Live success | Downtime p50 | Downtime p99 | Makespan / (Σ M / B), mean | max | Makespan / (Σ sent / B), mean | min "
        + "| Wave / wave bound, mean | Reboots | SLA misses | Simulated in |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var strategy in strategies)
    {
        var watch = Stopwatch.StartNew();
        var results = scenarios.Select(s => EvacuationSimulator.Run(s, strategy)).ToList();
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
            $"| {strategy.Name} | {100.0 * live.Count / moves.Count:0.0} % | {Percentile(downtimes, 0.50):0.0} ms | {Percentile(downtimes, 0.99):0.0} ms "
            + $"| {memoryRatios.Average():0.00}× | {memoryRatios.Max():0.00}× | {sentRatios.Average():0.00}× | {sentRatios.Min():0.00}× "
            + $"| {waveRatios.Average():0.00}× | {moves.Count(m => m.Move.Action == MoveAction.RebootMove)} | {misses} | {watch.Elapsed.TotalSeconds:0.0} s |"));
    }
}

static double Percentile(IReadOnlyList<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
