using CsCheck;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Simulation.Tests;

/// <summary>Random drains for the property tests: fleets, workloads, preferences, deadlines, links and failures.</summary>
public static class Scenarios
{
    private static readonly DateTimeOffset Trigger = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A generated drain: the scenario and the limits it runs under.</summary>
    public sealed record Case(EvacuationScenario Scenario, MaintenanceOptions Options)
    {
        public override string ToString() =>
            $"seed {Scenario.Seed}, {Scenario.Fleet.Hosts.Count} hosts, {Scenario.Fleet.Instances.Count} instances, draining "
            + $"{string.Join(' ', Scenario.HostsToDrain)} for {Scenario.Reason} within {Options.CompletionSla}, "
            + $"preferences {string.Join("; ", Scenario.Preferences.Select(p => $"{p.Key}: {p.Value.Default}, {p.Value.Windows.Count} windows"))}";
    }

    private static readonly Gen<TenantPreferences> Preferences =
        from preference in Gen.Enum<MovePreference>()
        from windows in Gen.Select(Gen.Enum<DayOfWeek>(), Gen.Int[0, 23], Gen.Int[2, 12])
            .Select((day, hour, hours) => new MaintenanceWindow(day, new TimeOnly(hour, 0), TimeSpan.FromHours(hours))).Array[0, 3]
        select new TenantPreferences(preference, new Dictionary<string, MovePreference>(), windows);

    /// <summary>
    /// Fleets from roomy to tight: up to 90 % full, with or without spares, one to three hosts of a
    /// tenant drained at once, any tenant preference with or without windows, deadlines of one to
    /// four hours, links from 10 MiB/s, dirty rates that differ from those observed, destinations that fail.
    /// </summary>
    private static Gen<Case> Cases(double maxFill, int minSpares, int minHostsPerTenant, int maxDrainedPerTenant) =>
        from tenants in Gen.Int[1, 3]
        from hostsPerTenant in Gen.Int[minHostsPerTenant, 8]
        from drainedPerTenant in Gen.Int[1, maxDrainedPerTenant]
        from fill in Gen.Double[0.2, maxFill]
        from spares in Gen.Int[minSpares, 3]
        from fleetSeed in Gen.Int[0, 1_000_000]
        from bandwidth in Gen.Double[10, 2500]
        from reason in Gen.Enum<MaintenanceReason>()
        from hours in Gen.Int[1, 4]
        from noise in Gen.Double[0, 1.5]
        from failures in Gen.Double[0, 0.3]
        from preferences in Preferences.Array[3]
        from seed in Gen.Int
        let fleet = DemoFleet.Generate(new DemoFleetOptions
        {
            Tenants = tenants, HostsPerTenant = hostsPerTenant, SpareHosts = spares, MinFill = fill / 2, MaxFill = fill,
            Seed = fleetSeed, MigrationBandwidthMiBps = bandwidth,
        })
        select new Case(
            new EvacuationScenario(fleet,
                [.. fleet.Tenants.SelectMany(t => fleet.Hosts.Where(h => h.TenantId == t.TenantId).Skip((seed & 0xff) % hostsPerTenant)
                    .Take(Math.Min(drainedPerTenant, hostsPerTenant - 1)).Select(h => h.HostId))],
                reason, Trigger, seed, noise, failures)
            {
                Preferences = fleet.Tenants.Select((t, i) => (t.TenantId, preferences[i])).ToDictionary(p => p.TenantId, p => p.Item2),
            },
            new MaintenanceOptions { CompletionSla = TimeSpan.FromHours(hours), SafetyMargin = TimeSpan.FromMinutes(15) });

    /// <summary>Room for every instance: one host per tenant drained, at least five others, at most 60 % full, and spares.</summary>
    public static readonly Gen<Case> Roomy = Cases(maxFill: 0.6, minSpares: 2, minHostsPerTenant: 6, maxDrainedPerTenant: 1);

    /// <summary>Up to 90 % full, no spares, up to three hosts of a tenant drained at once.</summary>
    public static readonly Gen<Case> Tight = Cases(maxFill: 0.9, minSpares: 0, minHostsPerTenant: 3, maxDrainedPerTenant: 3);

}
