using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Web.Services;

/// <summary>What the tenant pages read. Every call is for one tenant only.</summary>
public interface ITenantPortal
{
    /// <summary>Every tenant, for the sign-in page.</summary>
    Task<IReadOnlyList<TenantSpec>> GetTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>The tenant's scheduled, running and finished moves, newest first.</summary>
    Task<IReadOnlyList<InstanceMove>> GetMovesAsync(string tenantId, CancellationToken cancellationToken = default);
}
