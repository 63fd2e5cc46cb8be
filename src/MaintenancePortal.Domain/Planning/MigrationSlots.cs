using System.Collections.Immutable;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Domain.Planning;

/// <summary>A live migration holding a slot: where it leaves from and where it goes.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationSlot")]
public sealed record MigrationSlot(
    [property: Id(0)] string MoveId,
    [property: Id(1)] string SourceHostId,
    [property: Id(2)] string DestinationHostId);

/// <summary>
/// The live migrations running in the cluster, held within three limits: per source host
/// (outbound), per destination host (inbound), and for the whole cluster (as KubeVirt does:
/// 2, 2 and 5 by default).
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationSlots")]
public sealed record MigrationSlots([property: Id(0)] ImmutableDictionary<string, MigrationSlot> Held)
{
    public static MigrationSlots Empty { get; } = new(ImmutableDictionary<string, MigrationSlot>.Empty);

    /// <summary>Whether the move may start now; a move that already holds a slot keeps it.</summary>
    public bool CanAcquire(MigrationSlot slot, MaintenanceOptions limits) =>
        Held.ContainsKey(slot.MoveId)
        || (Held.Count < limits.MaxPerCluster
            && Held.Values.Count(s => s.SourceHostId == slot.SourceHostId) < limits.MaxOutboundPerHost
            && Held.Values.Count(s => s.DestinationHostId == slot.DestinationHostId) < limits.MaxInboundPerHost);

    public MigrationSlots Acquire(MigrationSlot slot, MaintenanceOptions limits) =>
        CanAcquire(slot, limits)
            ? this with { Held = Held.SetItem(slot.MoveId, slot) }
            : throw new DomainException($"No migration slot for move {slot.MoveId} from {slot.SourceHostId} to {slot.DestinationHostId}.");

    public MigrationSlots Release(string moveId) => this with { Held = Held.Remove(moveId) };
}
