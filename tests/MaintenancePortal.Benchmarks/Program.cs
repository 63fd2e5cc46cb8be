using System.Diagnostics;
using System.Globalization;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Simulation;

// Evacuation benchmark: the same fleets and triggers under each strategy.
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks [-- --fleets N]
var fleets = args.SkipWhile(a => a != "--fleets").Skip(1).Select(int.Parse).FirstOrDefault(20);
var trigger = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
var strategies = new[]
{
    EvacuationStrategy.MaintenancePortal(), EvacuationStrategy.XenPlainPreCopy(), EvacuationStrategy.KubeVirt(), EvacuationStrategy.Nova(),
};

// The demo fleet's mix (web, api, batch, cache, database; 8–128 GiB; 2–700 MiB/s of writes) on
// 10 Gbit/s links, two hosts per tenant drained at once, the dirty rate met during a migration
// spread around the one observed before, and 1 % of destinations failing mid-migration.
var scenarios = Enumerable.Range(0, fleets).Select(seed =>
{
    var fleet = DemoFleet.Generate(new DemoFleetOptions { Tenants = 4, HostsPerTenant = 10, SpareHosts = 6, Seed = 1000 + seed });
    var drained = fleet.Tenants.SelectMany(t => fleet.Hosts.Where(h => h.TenantId == t.TenantId).Take(2)).Select(h => h.HostId).ToList();
    return new EvacuationScenario(fleet, drained, MaintenanceReason.FirmwareUpdate, trigger, seed, DirtyRateNoise: 0.5, DestinationFailureRate: 0.01);
}).ToList();

Console.WriteLine($"Evacuation benchmark: {fleets} fleets × {scenarios[0].HostsToDrain.Count} hosts drained, "
                  + $"{scenarios.Sum(s => s.HostsToDrain.Sum(h => s.Fleet.Instances.Count(i => i.HostId == h)))} moves per strategy");
Console.WriteLine();
Console.WriteLine("| Strategy | Live success | Downtime p50 | Downtime p99 | Makespan / (Σ M / B), mean | max | Reboots | SLA misses | Run time |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var strategy in strategies)
{
    var watch = Stopwatch.StartNew();
    var results = scenarios.Select(s => EvacuationSimulator.Run(s, strategy)).ToList();
    watch.Stop();
    var moves = results.SelectMany(r => r.Moves.Select(m => (Move: m, r.Deadline))).ToList();
    var live = moves.Where(m => m.Move is { State: MoveState.Completed, Action: MoveAction.LiveMigration }).ToList();
    var downtimes = live.Select(m => m.Move.Receipt!.DowntimeMs).Order().ToList();
    var ratios = results.SelectMany(r => r.Makespans.Select(kv => kv.Value / r.LowerBounds[kv.Key])).ToList();
    var misses = moves.Count(m => m.Move.State != MoveState.Completed || m.Move.FinishedAt > m.Deadline) + results.Sum(r => r.Unplaced.Count);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {strategy.Name} | {100.0 * live.Count / moves.Count:0.0} % | {Percentile(downtimes, 0.50):0.0} ms | {Percentile(downtimes, 0.99):0.0} ms "
        + $"| {ratios.Average():0.00}× | {ratios.Max():0.00}× | {moves.Count(m => m.Move.Action == MoveAction.RebootMove)} | {misses} "
        + $"| {watch.Elapsed.TotalSeconds:0.0} s |"));
}

static double Percentile(IReadOnlyList<double> sorted, double p) =>
    sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
