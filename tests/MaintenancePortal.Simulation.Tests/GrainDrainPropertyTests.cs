using CsCheck;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.Simulation.Tests;

/// <summary>
/// The promises of maintenance on the product's own grains (<see cref="GrainDrain"/>), over the
/// same random drains as the simulator's, and the simulator making the decisions the grains make.
/// Each case is one silo on a fake clock; a failure prints the case and its seed.
/// </summary>
public sealed class GrainDrainPropertyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task On_the_grains_every_instance_is_moved_in_time_or_its_tenant_told_and_nothing_is_lost_or_left_held()
    {
        await Scenarios.Tight.SampleAsync(async c =>
        {
            var result = await GrainDrain.RunAsync(c.Scenario, c.Options, Ct);
            Promises.NothingIsLostOrLeftHeld(c, result);
            Promises.MovedInTimeOrTold(c, result);
        }, iter: 12, threads: 1, print: c => c.ToString());
    }

    [Fact]
    public async Task With_room_to_spare_the_grains_move_every_instance_before_its_deadline()
    {
        await Scenarios.Roomy.SampleAsync(async c =>
        {
            var result = await GrainDrain.RunAsync(c.Scenario, c.Options, Ct);
            Assert.Empty(result.Unplaced);
            Assert.All(result.Moves, m => Assert.True(m.State == MoveState.Completed && m.FinishedAt <= result.Deadline,
                $"{m.InstanceId}: {m.State}, finished {m.FinishedAt:O}, deadline {result.Deadline:O}: {m.Why}"));
        }, iter: 8, threads: 1, print: c => c.ToString());
    }

    [Fact]
    public async Task On_the_grains_failing_destinations_and_busier_workloads_are_retried_elsewhere_or_rebooted_in_time()
    {
        var fleet = DemoFleet.Generate(new DemoFleetOptions { Tenants = 1, HostsPerTenant = 6, SpareHosts = 1, MinFill = 0.4, MaxFill = 0.6, Seed = 11 });
        var scenario = new EvacuationScenario(fleet, [fleet.Hosts[0].HostId, fleet.Hosts[1].HostId], MaintenanceReason.FirmwareUpdate,
            new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), Seed: 5, DirtyRateNoise: 1.0, DestinationFailureRate: 0.5);
        var options = new MaintenanceOptions { CompletionSla = TimeSpan.FromHours(4), SafetyMargin = TimeSpan.FromMinutes(15) };

        var result = await GrainDrain.RunAsync(scenario, options, Ct);

        Assert.Contains(result.Moves, m => m.History.Any(h => h.Step == MoveStep.AttemptFailed && h.Detail!.Contains("destination host failed")));
        Assert.All(result.Moves, m => Assert.True(m is { State: MoveState.Completed } && m.FinishedAt <= result.Deadline,
            $"{m.InstanceId}: {m.State}, {m.Why}"));
        Promises.NothingIsLostOrLeftHeld(new Scenarios.Case(scenario, options), result);
    }

    /// <remarks>
    /// The decisions made when the drain begins (where each instance goes, live or by reboot, when,
    /// and why) must be the same. Later ones may differ by design of the two worlds, not of the rule:
    /// the grains' hypervisor runs each migration at its planned share and is polled every two
    /// seconds, the simulator shares each link exactly, and each draws its own surprises and
    /// failures, so a move waiting for a slot at its latest start may get one in one world and fall
    /// back to a reboot in the other.
    /// </remarks>
    [Fact]
    public async Task The_simulator_decides_as_the_grains_do()
    {
        await Scenarios.Roomy.SampleAsync(async c =>
        {
            var grains = await GrainDrain.RunAsync(c.Scenario, c.Options, Ct);
            var simulated = EvacuationSimulator.Run(c.Scenario, EvacuationStrategy.MaintenancePortal(c.Options));
            Assert.Equal(FirstDecisions(simulated), FirstDecisions(grains));
        }, iter: 8, threads: 1, print: c => c.ToString());
    }

    /// <summary>Per instance: how, where, when and why its move was first planned.</summary>
    private static List<string> FirstDecisions(EvacuationResult result) =>
        [.. result.Moves.OrderBy(m => m.InstanceId, StringComparer.Ordinal)
            .Select(m => (m.InstanceId, First: m.History.First(h => h.Step == MoveStep.Scheduled)))
            .Select(m => $"{m.InstanceId}: {m.First.HostId} {m.First.Start:O} {m.First.Detail}")];
}
