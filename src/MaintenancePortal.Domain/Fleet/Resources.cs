namespace MaintenancePortal.Domain.Fleet;

/// <summary>An amount of compute: what an instance needs or what a host offers.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.Resources")]
public readonly record struct Resources(
    [property: Id(0)] int VCpus,
    [property: Id(1)] long MemoryMiB)
{
    public static Resources None => default;

    public static Resources operator +(Resources a, Resources b) => new(a.VCpus + b.VCpus, a.MemoryMiB + b.MemoryMiB);

    public static Resources operator -(Resources a, Resources b) => new(a.VCpus - b.VCpus, a.MemoryMiB - b.MemoryMiB);

    /// <summary>True when <paramref name="other"/> fits inside this amount.</summary>
    public bool Covers(Resources other) => other.VCpus <= VCpus && other.MemoryMiB <= MemoryMiB;
}
