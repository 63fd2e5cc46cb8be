using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Tenants;

namespace MaintenancePortal.Grains.Fleet;

/// <summary>Loads a fleet description into the grains.</summary>
public static class FleetSeeding
{
    /// <summary>
    /// Creates the fleet's tenants, hosts and instances; false, and nothing done, when the fleet
    /// index already lists all of them (a restart of a durable deployment). The index lists them
    /// last, once every grain is created (each step leaves an existing grain alone): a seeding cut
    /// short by a crash or a failed call is done again in full by the next one. Of several servers
    /// seeding at once, exactly one gets true.
    /// </summary>
    public static async Task<bool> SeedAsync(this IGrainFactory grains, DemoFleet fleet, CancellationToken cancellationToken = default)
    {
        var index = grains.GetGrain<IFleetGrain>(FleetGrainKey.Default);
        if ((await index.GetAsync()).Lists(fleet.Tenants, fleet.Hosts))
        {
            return false;
        }

        var instancesByHost = fleet.Instances.ToLookup(p => p.HostId, p => p.Instance);
        await Parallel.ForEachAsync(fleet.Hosts, cancellationToken, async (host, _) =>
        {
            await grains.GetGrain<IDedicatedHostGrain>(host.HostId).InitializeAsync(host, [.. instancesByHost[host.HostId]]);
            foreach (var instance in instancesByHost[host.HostId])
            {
                await grains.GetGrain<IInstanceGrain>(instance.InstanceId).InitializeAsync(instance, host.HostId);
            }
        });
        foreach (var tenant in fleet.Tenants)
        {
            await grains.GetGrain<ITenantGrain>(tenant.TenantId).InitializeAsync(tenant,
                [.. fleet.Hosts.Where(h => h.TenantId == tenant.TenantId).Select(h => h.HostId)],
                [.. fleet.Instances.Where(i => i.Instance.TenantId == tenant.TenantId).Select(i => i.Instance.InstanceId)]);
        }

        return await index.RegisterAsync(fleet.Tenants, fleet.Hosts);
    }
}
