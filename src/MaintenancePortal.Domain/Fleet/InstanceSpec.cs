namespace MaintenancePortal.Domain.Fleet;

/// <summary>
/// A tenant's virtual machine. <see cref="InstanceId"/> and <see cref="PrivateIp"/> are its identity:
/// they never change across a move, live or reboot.
/// </summary>
/// <param name="DirtyRateMiBps">How fast the workload writes memory while it runs.</param>
/// <param name="WritableWorkingSetMiB">The memory it keeps rewriting; caps what one pre-copy round can dirty.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.InstanceSpec")]
public sealed record InstanceSpec(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Name,
    [property: Id(3)] string Family,
    [property: Id(4)] Resources Size,
    [property: Id(5)] string PrivateIp,
    [property: Id(6)] double DirtyRateMiBps,
    [property: Id(7)] long WritableWorkingSetMiB);
