using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>A tenant portal holding moves per tenant in memory, counting reads.</summary>
public sealed class TestTenantPortal : ITenantPortal
{
    public Dictionary<string, IReadOnlyList<InstanceMove>> Moves { get; } = [];

    public List<string> Reads { get; } = [];

    public Task<IReadOnlyList<TenantSpec>> GetTenantsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TenantSpec>>([.. Moves.Keys.Select(t => new TenantSpec(t, t))]);

    public Task<IReadOnlyList<InstanceMove>> GetMovesAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        Reads.Add(tenantId);
        return Task.FromResult(Moves.GetValueOrDefault(tenantId) ?? []);
    }
}
