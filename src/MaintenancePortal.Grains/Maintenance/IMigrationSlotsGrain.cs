using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Grains.Maintenance;

/// <summary>
/// The cluster's live migration slots (one grain, key <see cref="MigrationSlotsGrainKey.Default"/>):
/// a live migration starts only with a slot, within the per-source, per-destination and cluster limits.
/// </summary>
public interface IMigrationSlotsGrain : IGrainWithStringKey
{
    /// <summary>
    /// Takes a slot for the move; false when a limit is reached or the last cluster slot is kept
    /// for a more urgent move (lower priority number). A move that holds one keeps it.
    /// </summary>
    Task<bool> TryAcquireAsync(MigrationSlot slot, int priority);

    /// <summary>Gives the move's slot back; a no-op when it holds none.</summary>
    Task ReleaseAsync(string moveId);

    /// <summary>The slots held now.</summary>
    Task<MigrationSlots> GetAsync();
}

/// <summary>The migration slots grain's key.</summary>
public static class MigrationSlotsGrainKey
{
    public const string Default = "default";
}
