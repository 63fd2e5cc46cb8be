using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Maintenance;

/// <summary>
/// What a finished move proves to the tenant: how long the instance was paused, how long the move
/// took, and the ID and IP the destination reported, compared with the ones before.
/// </summary>
/// <param name="Method">How a live migration finished; null for a reboot-based move (its pause is the whole move).</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationReceipt")]
public sealed record MigrationReceipt(
    [property: Id(0)] double DowntimeMs,
    [property: Id(1)] TimeSpan TotalTime,
    [property: Id(2)] int Rounds,
    [property: Id(3)] long BytesTransferred,
    [property: Id(4)] string InstanceIdBefore,
    [property: Id(5)] string InstanceIdAfter,
    [property: Id(6)] string PrivateIpBefore,
    [property: Id(7)] string PrivateIpAfter,
    [property: Id(8)] MigrationMethod? Method = MigrationMethod.PreCopy,
    [property: Id(9)] double MaxThrottlePercent = 0)
{
    public bool InstanceIdKept => InstanceIdBefore == InstanceIdAfter;

    public bool PrivateIpKept => PrivateIpBefore == PrivateIpAfter;
}
