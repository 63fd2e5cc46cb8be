using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Grains.Fleet;

/// <summary>The fleet's index (one grain, key <see cref="FleetGrainKey.Default"/>): tenants, hosts, spares and maintenance events.</summary>
public interface IFleetGrain : IGrainWithStringKey
{
    /// <summary>Records tenants and hosts not yet known; false when every one was already recorded.</summary>
    Task<bool> RegisterAsync(IReadOnlyList<TenantSpec> tenants, IReadOnlyList<DedicatedHostSpec> hosts);

    /// <summary>The index.</summary>
    Task<FleetIndex> GetAsync();

    /// <summary>Remembers a maintenance event so operators can list it.</summary>
    Task AddMaintenanceAsync(string maintenanceId);

    /// <summary>
    /// Hands a spare host that can take the instance to its tenant, or returns null when the spare
    /// pool has none of that family with room.
    /// </summary>
    Task<DedicatedHost?> AllocateSpareAsync(InstanceSpec instance);
}

/// <summary>The fleet grain's key.</summary>
public static class FleetGrainKey
{
    public const string Default = "default";
}

/// <summary>What the fleet holds.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FleetIndex")]
public sealed record FleetIndex(
    [property: Id(0)] IReadOnlyList<TenantSpec> Tenants,
    [property: Id(1)] IReadOnlyList<string> HostIds,
    [property: Id(2)] IReadOnlyList<string> SpareHostIds,
    [property: Id(3)] IReadOnlyList<string> MaintenanceIds)
{
    /// <summary>Whether every one of these tenants and hosts is listed.</summary>
    public bool Lists(IEnumerable<TenantSpec> tenants, IEnumerable<DedicatedHostSpec> hosts) =>
        tenants.All(t => Tenants.Any(known => known.TenantId == t.TenantId)) && hosts.All(h => HostIds.Contains(h.HostId));
}
