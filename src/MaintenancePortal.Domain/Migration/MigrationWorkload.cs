using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Domain.Migration;

/// <summary>What an instance brings to a live migration.</summary>
/// <param name="MemoryBytes">M: all of it is sent in round 0.</param>
/// <param name="DirtyRateBytesPerSecond">D: how fast the running instance dirties memory.</param>
/// <param name="WritableWorkingSetBytes">W: what it keeps rewriting; no round can dirty more.</param>
public sealed record MigrationWorkload(long MemoryBytes, double DirtyRateBytesPerSecond, long WritableWorkingSetBytes)
{
    public const long MiB = 1024 * 1024;

    public static MigrationWorkload Of(InstanceSpec instance) => new(
        instance.Size.MemoryMiB * MiB,
        instance.DirtyRateMiBps * MiB,
        Math.Min(instance.WritableWorkingSetMiB, instance.Size.MemoryMiB) * MiB);
}
