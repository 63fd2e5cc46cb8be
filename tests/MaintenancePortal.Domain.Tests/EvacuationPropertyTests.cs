using CsCheck;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Simulation;

namespace MaintenancePortal.Domain.Tests;

/// <summary>The promises of maintenance, checked over random fleets, workloads and failures.</summary>
public sealed class EvacuationPropertyTests
{
    private static readonly DateTimeOffset Trigger = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Random fleets with room to drain one host per tenant: at least three hosts per family and
    /// tenant, at most 60 % full, and a spare of each family.
    /// </summary>
    private static readonly Gen<EvacuationScenario> Scenarios =
        from tenants in Gen.Int[1, 3]
        from hostsPerTenant in Gen.Int[6, 10]
        from fill in Gen.Double[0.2, 0.6]
        from fleetSeed in Gen.Int[0, 1_000_000]
        from bandwidth in Gen.Double[100, 2500]
        from reason in Gen.Enum<MaintenanceReason>()
        from noise in Gen.Double[0, 1.5]
        from failures in Gen.Double[0, 0.3]
        from seed in Gen.Int
        let fleet = DemoFleet.Generate(new DemoFleetOptions
        {
            Tenants = tenants, HostsPerTenant = hostsPerTenant, SpareHosts = 2, MinFill = fill / 2, MaxFill = fill,
            Seed = fleetSeed, MigrationBandwidthMiBps = bandwidth,
        })
        select new EvacuationScenario(fleet,
            [.. fleet.Tenants.Select((t, i) => fleet.Hosts.Where(h => h.TenantId == t.TenantId).ElementAt((seed & 0xffff) % hostsPerTenant).HostId)],
            reason, Trigger, seed, noise, failures);

    private static readonly Gen<EvacuationResult> Evacuations = Scenarios.Select(s => EvacuationSimulator.Run(s, EvacuationStrategy.MaintenancePortal()));

    [Fact]
    public void Every_instance_of_a_drained_host_is_moved_before_its_deadline()
    {
        Evacuations.Sample(result =>
        {
            Assert.Empty(result.Unplaced);
            Assert.All(result.Moves, m =>
            {
                Assert.Equal(MoveState.Completed, m.State);
                Assert.True(m.FinishedAt <= result.Deadline, $"{m.InstanceId} finished {m.FinishedAt:O}, deadline {result.Deadline:O}: {m.Why}");
            });
        }, iter: 150);
    }

    [Fact]
    public void Instance_ids_and_ips_never_change()
    {
        Evacuations.Sample(result => Assert.All(result.Moves, m =>
        {
            Assert.True(m.Receipt!.InstanceIdKept && m.Receipt.PrivateIpKept);
            Assert.Equal(m.InstanceId, m.Receipt.InstanceIdAfter);
        }), iter: 150);
    }

    [Fact]
    public void No_host_is_oversubscribed_and_every_instance_is_on_exactly_one_host()
    {
        Scenarios.Sample(scenario =>
        {
            var result = EvacuationSimulator.Run(scenario, EvacuationStrategy.MaintenancePortal());
            Assert.All(result.Hosts.Values, h =>
            {
                Assert.True(h.Spec.Capacity.Covers(h.Committed), $"{h.HostId} holds {h.Committed} of {h.Spec.Capacity}");
                Assert.Empty(h.Reserved);
            });
            var holders = result.Hosts.Values.SelectMany(h => h.Placed.Keys).ToList();
            Assert.Equal(holders.Count, holders.Distinct().Count());
            Assert.Equal(scenario.Fleet.Instances.Select(i => i.Instance.InstanceId).Order(), holders.Order());
            Assert.All(scenario.HostsToDrain, h => Assert.Empty(result.Hosts[h].Placed));
        }, iter: 150);
    }

    [Fact]
    public void The_baselines_end_too_whatever_the_workload()
    {
        Scenarios.Sample(scenario =>
        {
            foreach (var strategy in new[] { EvacuationStrategy.XenPlainPreCopy(), EvacuationStrategy.KubeVirt(), EvacuationStrategy.Nova() })
            {
                var result = EvacuationSimulator.Run(scenario, strategy);
                Assert.All(result.Moves, m => Assert.Equal(MoveState.Completed, m.State));
            }
        }, iter: 50);
    }
}
