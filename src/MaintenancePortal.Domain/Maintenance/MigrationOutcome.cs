using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Maintenance;

/// <summary>What the hypervisor reports once a move has finished and the instance runs on the destination.</summary>
/// <param name="Method">How a live migration finished; null for a reboot-based move.</param>
/// <param name="DowntimeMs">How long the instance was paused (live) or stopped (reboot).</param>
/// <param name="MaxThrottlePercent">The most vCPU time auto-converge took away (0 when it was not needed).</param>
/// <param name="InstanceIdOnDestination">The instance ID the destination runs.</param>
/// <param name="PrivateIpOnDestination">The private IP the destination gave the instance.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationOutcome")]
public sealed record MigrationOutcome(
    [property: Id(0)] MigrationMethod? Method,
    [property: Id(1)] double DowntimeMs,
    [property: Id(2)] int Rounds,
    [property: Id(3)] long BytesTransferred,
    [property: Id(4)] double MaxThrottlePercent,
    [property: Id(5)] string InstanceIdOnDestination,
    [property: Id(6)] string PrivateIpOnDestination);
