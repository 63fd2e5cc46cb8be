namespace MaintenancePortal.Grains;

/// <summary>Names the grains use for their storage providers.</summary>
public static class StorageNames
{
    /// <summary>Grain state of hosts, instances, tenants and maintenance events.</summary>
    public const string Maintenance = "maintenance";
}
