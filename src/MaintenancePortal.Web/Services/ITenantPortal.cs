using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Web.Services;

/// <summary>What the tenant pages read. Every call is for one tenant only.</summary>
public interface ITenantPortal
{
    /// <summary>Every tenant, for the sign-in page.</summary>
    Task<IReadOnlyList<TenantSpec>> GetTenantsAsync(CancellationToken cancellationToken = default);

    /// <summary>A page of the tenant's moves matching the query, after the move <paramref name="after"/> (null: the first page).</summary>
    Task<MovePage> QueryMovesAsync(string tenantId, MoveQuery query, string? after, CancellationToken cancellationToken = default);

    /// <summary>One of the tenant's moves, whole (its timeline too); another tenant's or an unknown id is not found.</summary>
    Task<InstanceMove> GetMoveAsync(string tenantId, string moveId, CancellationToken cancellationToken = default);

    /// <summary>Moves the start of one of the tenant's moves, up to its latest start; later is refused.</summary>
    Task<InstanceMove> RescheduleAsync(string tenantId, string moveId, DateTimeOffset start, CancellationToken cancellationToken = default);

    /// <summary>Approves one of the tenant's moves: it starts now.</summary>
    Task<InstanceMove> ApproveAsync(string tenantId, string moveId, CancellationToken cancellationToken = default);

    /// <summary>The token of the metadata address of one of the tenant's instances (made on first use); another tenant's instance is not found.</summary>
    Task<string> GetMetadataTokenAsync(string tenantId, string instanceId, CancellationToken cancellationToken = default);

    /// <summary>A new metadata token for one of the tenant's instances; the old address answers nothing from then on.</summary>
    Task<string> RotateMetadataTokenAsync(string tenantId, string instanceId, CancellationToken cancellationToken = default);

    /// <summary>The token of the tenant's calendar feed (made on first use).</summary>
    Task<string> GetCalendarTokenAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>A new calendar token; subscriptions to the old feed address get nothing from then on.</summary>
    Task<string> RotateCalendarTokenAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>The tenant's instances.</summary>
    Task<IReadOnlySet<string>> GetInstanceIdsAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>How the tenant wants its instances moved, and its maintenance windows.</summary>
    Task<TenantPreferences> GetPreferencesAsync(string tenantId, CancellationToken cancellationToken = default);

    /// <summary>Replaces the tenant's preferences; moves planned from now on follow them.</summary>
    Task SetPreferencesAsync(string tenantId, TenantPreferences preferences, CancellationToken cancellationToken = default);
}
