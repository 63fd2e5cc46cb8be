using System.Collections.Immutable;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Domain.Planning;

/// <summary>A live migration holding a slot: where it leaves from and where it goes.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationSlot")]
public sealed record MigrationSlot(
    [property: Id(0)] string MoveId,
    [property: Id(1)] string SourceHostId,
    [property: Id(2)] string DestinationHostId);

/// <summary>A move waiting for a slot: its priority (lower goes first) and when it last asked.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.SlotRequest")]
public sealed record SlotRequest([property: Id(0)] int Priority, [property: Id(1)] DateTimeOffset LastAsked);

/// <summary>
/// The live migrations running in the cluster, held within three limits: per source host
/// (outbound), per destination host (inbound), and for the whole cluster (as KubeVirt does:
/// 2, 2 and 5 by default). The last free cluster slot goes to the most urgent move asking for one.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationSlots")]
public sealed record MigrationSlots(
    [property: Id(0)] ImmutableDictionary<string, MigrationSlot> Held,
    [property: Id(1)] ImmutableDictionary<string, SlotRequest> Waiting)
{
    /// <summary>A waiting move that has not asked again within this time has given up.</summary>
    public static readonly TimeSpan WaitingExpiry = TimeSpan.FromSeconds(10);

    public static MigrationSlots Empty { get; } =
        new(ImmutableDictionary<string, MigrationSlot>.Empty, ImmutableDictionary<string, SlotRequest>.Empty);

    /// <summary>
    /// Takes a slot for the move when the limits allow and no more urgent move is waiting for the
    /// last cluster slot; otherwise records that it waits. Returns the new slots and whether it got one.
    /// </summary>
    public (MigrationSlots Slots, bool Granted) Request(MigrationSlot slot, int priority, DateTimeOffset now, MaintenanceOptions limits)
    {
        if (Held.ContainsKey(slot.MoveId))
        {
            return (this, true);
        }

        var waiting = Waiting.RemoveRange(Waiting.Where(w => w.Value.LastAsked < now - WaitingExpiry).Select(w => w.Key));
        var lastClusterSlot = Held.Count + 1 >= limits.MaxPerCluster;
        var moreUrgentWaits = waiting.Any(w => w.Key != slot.MoveId && w.Value.Priority < priority);
        if (CanAcquire(slot, limits) && !(lastClusterSlot && moreUrgentWaits))
        {
            return (this with { Held = Held.SetItem(slot.MoveId, slot), Waiting = waiting.Remove(slot.MoveId) }, true);
        }

        return (this with { Waiting = waiting.SetItem(slot.MoveId, new SlotRequest(priority, now)) }, false);
    }

    /// <summary>Whether the move may start now; a move that already holds a slot keeps it.</summary>
    private bool CanAcquire(MigrationSlot slot, MaintenanceOptions limits) =>
        Held.ContainsKey(slot.MoveId)
        || (Held.Count < limits.MaxPerCluster
            && Held.Values.Count(s => s.SourceHostId == slot.SourceHostId) < limits.MaxOutboundPerHost
            && Held.Values.Count(s => s.DestinationHostId == slot.DestinationHostId) < limits.MaxInboundPerHost);

    public MigrationSlots Release(string moveId) => this with { Held = Held.Remove(moveId) };
}
