using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Simulation.Tests;

/// <summary>What a drain promises, checked on a result of the simulator or of the grains alike.</summary>
public static class Promises
{
    /// <summary>Every instance is held by exactly one host, no host holds more than it has, no room is left reserved, and no migration slot is held by a move no longer running.</summary>
    public static void NothingIsLostOrLeftHeld(Scenarios.Case c, EvacuationResult result)
    {
        Assert.All(result.Hosts.Values, h =>
        {
            Assert.True(h.Spec.Capacity.Covers(h.Committed), $"{h.HostId} holds {h.Committed} of {h.Spec.Capacity}");
            Assert.DoesNotContain(h.Reserved.Keys, id => !result.Moves.Any(m => m.InstanceId == id && !m.State.IsTerminal()));
        });
        var holders = result.Hosts.Values.SelectMany(h => h.Placed.Keys).ToList();
        Assert.Equal(holders.Count, holders.Distinct().Count());
        Assert.Equal(c.Scenario.Fleet.Instances.Select(i => i.Instance.InstanceId).Order(), holders.Order());
        Assert.All(c.Scenario.HostsToDrain, h => Assert.Equal(result.Hosts[h].Placed.IsEmpty, result.Hosts[h].State == HostState.Drained));
        Assert.Equal(result.Moves.Count(m => m is { State: MoveState.Migrating, Action: MoveAction.LiveMigration }), result.SlotsHeld);
    }

    /// <summary>Every instance of a drained host is moved by its deadline, keeping its ID and IP, or its tenant is told it is at risk before the deadline passes.</summary>
    public static void MovedInTimeOrTold(Scenarios.Case c, EvacuationResult result)
    {
        var onDrainedHosts = c.Scenario.Fleet.Instances.Where(i => c.Scenario.HostsToDrain.Contains(i.HostId)).Select(i => i.Instance.InstanceId);
        foreach (var instanceId in onDrainedHosts)
        {
            var move = result.Moves.FirstOrDefault(m => m.InstanceId == instanceId);
            if (move is { State: MoveState.Completed } && move.FinishedAt <= result.Deadline)
            {
                Assert.True(move.Receipt!.InstanceIdKept && move.Receipt.PrivateIpKept, $"{instanceId} changed identity: {move.Receipt}");
                continue;
            }

            Assert.True(result.Log.Any(r => r.InstanceId == instanceId && r.What.StartsWith("at risk", StringComparison.Ordinal) && r.At <= result.Deadline),
                $"{instanceId} was not moved by {result.Deadline:O} ({move?.State}, {move?.Why}) and its tenant was never told.");
        }
    }
}
