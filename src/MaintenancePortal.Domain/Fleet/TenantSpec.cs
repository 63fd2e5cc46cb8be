namespace MaintenancePortal.Domain.Fleet;

/// <summary>A customer that owns dedicated hosts.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.TenantSpec")]
public sealed record TenantSpec(
    [property: Id(0)] string TenantId,
    [property: Id(1)] string DisplayName);
