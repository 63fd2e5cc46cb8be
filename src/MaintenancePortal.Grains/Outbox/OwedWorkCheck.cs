using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;

namespace MaintenancePortal.Grains.Outbox;

/// <summary>The stored state of a cluster's maintenance grains, as read from their storage.</summary>
public sealed record StoredCluster(
    IReadOnlyDictionary<string, MaintenanceEventGrain.MaintenanceRecord> Maintenance,
    IReadOnlyDictionary<string, InstanceGrain.InstanceRecord> Instances,
    IReadOnlyDictionary<string, DedicatedHostGrain.HostRecord> Hosts,
    MigrationSlots Slots,
    FleetGrain.FleetRecord Fleet);

/// <summary>Something the stored state says is owed and not yet done.</summary>
/// <param name="What">What is owed, the same words for the same kind.</param>
/// <param name="Where">The grain that owes it or holds it.</param>
/// <param name="Detail">Which entries, moves or hosts.</param>
public sealed record OwedItem(string What, string Where, string Detail)
{
    public override string ToString() => $"{What}: {Where}: {Detail}";
}

/// <summary>
/// Reads a cluster's stored state for work owed and not delivered: events not published, calls
/// to other grains not made, migration slots held by moves that do not run, room reserved for no
/// move, maintenance whose moves are done but which is not closed, cancels not finished, and any
/// instance that is not on exactly one host. On a cluster at rest after a failure, every item must
/// be gone within the bound the durable profile promises; while work runs some are expected.
/// </summary>
public static class OwedWorkCheck
{
    public const string EventsNotPublished = "events not published";
    public const string CallsNotMade = "calls to other grains not made";
    public const string StartNotFinished = "maintenance start not finished";
    public const string RoomAskedNotResolved = "room asked for and not resolved";
    public const string NotClosed = "maintenance with every move done, not closed";
    public const string HostNotGivenBack = "host of a cancelled maintenance not given back";
    public const string MoveNotCancelled = "move of a cancelled maintenance not cancelled";
    public const string SlotHeld = "migration slot held by a move that does not run";
    public const string RoomHeld = "room held with no move coming";
    public const string NotOnOneHost = "instance not on exactly one host";

    public static IReadOnlyList<OwedItem> Find(StoredCluster cluster)
    {
        List<OwedItem> owed = [];
        AddOutboxes(owed, "fleet", [], cluster.Fleet.FollowUps);
        foreach (var (id, record) in cluster.Maintenance)
        {
            var where = $"maintenance {id}";
            AddOutboxes(owed, where, record.Outbox, record.FollowUps);
            if (record.Starting is { } starting)
            {
                owed.Add(new(StartNotFinished, where, $"host {starting.HostId}"));
            }

            foreach (var (instanceId, hostIds) in record.Reserving)
            {
                owed.Add(new(RoomAskedNotResolved, where, $"{instanceId} on {string.Join(", ", hostIds)}"));
            }

            if (record.Event is not { } maintenance)
            {
                continue;
            }

            if (maintenance is { State: MaintenanceState.Draining, EveryMoveCompleted: true })
            {
                owed.Add(new(NotClosed, where, $"{maintenance.CompletedMoves} moves completed, still {maintenance.State}"));
            }

            if (maintenance.State is MaintenanceState.Cancelled
                && cluster.Hosts.GetValueOrDefault(maintenance.HostId)?.Host is { } host && host.MaintenanceId == id)
            {
                owed.Add(new(HostNotGivenBack, where, $"host {host.HostId} is {host.State}"));
            }
        }

        var moves = cluster.Instances.Values.SelectMany(i => i.Moves).ToDictionary(m => m.MoveId);
        foreach (var (id, record) in cluster.Instances)
        {
            var where = $"instance {id}";
            AddOutboxes(owed, where, record.Outbox, record.FollowUps);
            foreach (var move in record.Moves.Where(m => m.State == MoveState.Scheduled
                                                         && cluster.Maintenance.GetValueOrDefault(m.MaintenanceId)?.Event?.State == MaintenanceState.Cancelled))
            {
                owed.Add(new(MoveNotCancelled, where, $"move {move.MoveId} of {move.MaintenanceId}"));
            }

            var holders = cluster.Hosts.Values.Select(h => h.Host).OfType<DedicatedHost>().Where(h => h.Placed.ContainsKey(id))
                .Select(h => h.HostId).ToList();
            if (holders.Count != 1)
            {
                owed.Add(new(NotOnOneHost, where, holders.Count == 0 ? "on no host" : $"on {string.Join(", ", holders)}"));
            }
        }

        foreach (var slot in cluster.Slots.Held.Values)
        {
            if (moves.GetValueOrDefault(slot.MoveId) is not { State: MoveState.Migrating } move)
            {
                owed.Add(new(SlotHeld, $"move {slot.MoveId}", moves.TryGetValue(slot.MoveId, out var known)
                    ? $"{known.InstanceId} is {known.State}, from {slot.SourceHostId} to {slot.DestinationHostId}"
                    : $"no instance has the move, from {slot.SourceHostId} to {slot.DestinationHostId}"));
            }
        }

        foreach (var host in cluster.Hosts.Values.Select(h => h.Host).OfType<DedicatedHost>())
        {
            foreach (var instanceId in host.Reserved.Keys)
            {
                var active = cluster.Instances.GetValueOrDefault(instanceId)?.Moves.LastOrDefault(m => !m.State.IsTerminal());
                if (active?.DestinationHostId != host.HostId)
                {
                    owed.Add(new(RoomHeld, $"host {host.HostId}", active is null
                        ? $"{instanceId} has no move under way"
                        : $"{instanceId}'s move {active.MoveId} goes to {active.DestinationHostId}"));
                }
            }
        }

        return owed;
    }

    private static void AddOutboxes(List<OwedItem> owed, string where, IReadOnlyCollection<Events.OutboxEntry> events,
        IReadOnlyCollection<FollowUp> followUps)
    {
        if (events.Count > 0)
        {
            owed.Add(new(EventsNotPublished, where, string.Join(", ", events.Select(e => e.Type[(e.Type.LastIndexOf('.') + 1)..]))));
        }

        if (followUps.Count > 0)
        {
            owed.Add(new(CallsNotMade, where, string.Join(", ", followUps.Select(f => f.GetType().Name.Replace("FollowUp", "", StringComparison.Ordinal)))));
        }
    }
}
