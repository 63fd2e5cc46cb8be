using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Grains.Instances;

/// <summary>
/// A tenant's instance, keyed by instance id: where it runs and its moves. It runs its own live
/// migration, reading progress from the hypervisor until the move completes or fails.
/// </summary>
public interface IInstanceGrain : IGrainWithStringKey
{
    /// <summary>Creates the instance on its first host; a no-op when it already exists.</summary>
    Task InitializeAsync(InstanceSpec spec, string hostId);

    /// <summary>The instance, or null when no such instance exists.</summary>
    Task<InstanceView?> GetAsync();

    /// <summary>Records and announces a scheduled move; the same move again is a no-op.</summary>
    Task ScheduleMoveAsync(InstanceMove move);

    /// <summary>Starts the scheduled move as a live migration using the given bandwidth.</summary>
    Task StartMoveAsync(string moveId, double bandwidthMiBps);
}

/// <summary>An instance, where it runs, and its moves (oldest first).</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.InstanceView")]
public sealed record InstanceView(
    [property: Id(0)] InstanceSpec Spec,
    [property: Id(1)] string HostId,
    [property: Id(2)] IReadOnlyList<InstanceMove> Moves);
