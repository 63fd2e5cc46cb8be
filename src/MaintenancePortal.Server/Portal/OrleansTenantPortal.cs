using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Portal;

/// <summary>The tenant pages' reads, answered by the grains.</summary>
public sealed class OrleansTenantPortal(IGrainFactory grains) : ITenantPortal
{
    public async Task<IReadOnlyList<TenantSpec>> GetTenantsAsync(CancellationToken cancellationToken = default) =>
        (await grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync()).Tenants;

    public Task<IReadOnlyList<InstanceMove>> GetMovesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        grains.GetGrain<ITenantGrain>(tenantId).GetMovesAsync();
}
