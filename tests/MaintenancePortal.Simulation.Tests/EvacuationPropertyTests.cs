using CsCheck;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Simulation.Tests;

/// <summary>The promises of maintenance, checked over random fleets, workloads, preferences, deadlines and failures.</summary>
public sealed class EvacuationPropertyTests
{
    private static EvacuationResult Run(Scenarios.Case c) => EvacuationSimulator.Run(c.Scenario, EvacuationStrategy.MaintenancePortal(c.Options));

    [Fact]
    public void With_room_to_spare_every_instance_is_moved_before_its_deadline()
    {
        Scenarios.Roomy.Sample(c =>
        {
            var result = Run(c);
            Assert.Empty(result.Unplaced);
            Assert.All(result.Moves, m =>
            {
                Assert.Equal(MoveState.Completed, m.State);
                Assert.True(m.FinishedAt <= result.Deadline, $"{m.InstanceId} finished {m.FinishedAt:O}, deadline {result.Deadline:O}: {m.Why}");
            });
        }, iter: 150, print: c => c.ToString());
    }

    [Fact]
    public void However_tight_the_fleet_every_instance_is_moved_before_its_deadline_or_its_tenant_is_told_before_it_passes()
    {
        Scenarios.Tight.Sample(c => Promises.MovedInTimeOrTold(c, Run(c)), iter: 150, print: c => c.ToString());
    }

    [Fact]
    public void No_host_is_oversubscribed_every_instance_is_on_exactly_one_host_and_nothing_is_left_held()
    {
        Scenarios.Tight.Sample(c => Promises.NothingIsLostOrLeftHeld(c, Run(c)), iter: 150, print: c => c.ToString());
    }

    [Fact]
    public void A_drain_never_finishes_faster_than_its_links_can_carry_what_it_sent()
    {
        Scenarios.Tight.Sample(c =>
        {
            foreach (var drain in Run(c).Drains.Values.Where(d => d.BytesSent > 0))
            {
                Assert.True(drain.Makespan >= drain.SentBound - TimeSpan.FromMilliseconds(1),
                    $"{drain.HostId}: {drain.Makespan} to send {drain.BytesSent:N0} bytes at {drain.LinkBytesPerSecond:N0} B/s");
            }
        }, iter: 100, print: c => c.ToString());
    }

    [Fact]
    public void The_baselines_end_too_whatever_the_workload()
    {
        Scenarios.Roomy.Sample(c =>
        {
            foreach (var strategy in new[] { EvacuationStrategy.XenPlainPreCopy(c.Options), EvacuationStrategy.KubeVirt(c.Options), EvacuationStrategy.Nova(c.Options) })
            {
                var result = EvacuationSimulator.Run(c.Scenario, strategy);
                Assert.All(result.Moves, m => Assert.Equal(MoveState.Completed, m.State));
            }
        }, iter: 50, print: c => c.ToString());
    }
}
