using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Domain.Placement;

/// <summary>
/// Where an instance may go: another available host of the same tenant and instance family with
/// room for it. Hosts holding the fewest incoming moves come first (to spread the network load),
/// then those with the most free memory.
/// </summary>
public static class PlacementPolicy
{
    public static IReadOnlyList<DedicatedHost> RankDestinations(InstanceSpec instance, string sourceHostId,
        IEnumerable<DedicatedHost> candidates) =>
        candidates
            .Where(h => h.HostId != sourceHostId
                        && h.Spec.TenantId == instance.TenantId
                        && h.Spec.Family == instance.Family
                        && h.CanAccept(instance.Size))
            .OrderBy(h => h.Reserved.Count)
            .ThenByDescending(h => h.Free.MemoryMiB)
            .ThenBy(h => h.HostId, StringComparer.Ordinal)
            .ToList();

    /// <summary>Whether a spare host could take the instance once assigned to its tenant.</summary>
    public static bool SpareFits(DedicatedHost spare, InstanceSpec instance) =>
        spare.Spec.IsSpare && spare.Spec.Family == instance.Family && spare.CanAccept(instance.Size);
}
