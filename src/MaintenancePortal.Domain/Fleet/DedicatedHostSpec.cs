namespace MaintenancePortal.Domain.Fleet;

/// <summary>A physical server. A dedicated host belongs to one tenant; a spare has no tenant until allocated.</summary>
/// <param name="MigrationBandwidthMiBps">What its NIC gives live migrations, shared among concurrent ones.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.DedicatedHostSpec")]
public sealed record DedicatedHostSpec(
    [property: Id(0)] string HostId,
    [property: Id(1)] string? TenantId,
    [property: Id(2)] string Family,
    [property: Id(3)] string Zone,
    [property: Id(4)] Resources Capacity,
    [property: Id(5)] double MigrationBandwidthMiBps)
{
    public bool IsSpare => TenantId is null;
}
