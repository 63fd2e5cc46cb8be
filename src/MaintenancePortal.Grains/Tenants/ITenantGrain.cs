using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Grains.Tenants;

/// <summary>A tenant, keyed by tenant id: its dedicated hosts, instances and preferences.</summary>
public interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>Creates the tenant; a no-op when it already exists.</summary>
    Task InitializeAsync(TenantSpec spec, IReadOnlyList<string> hostIds, IReadOnlyList<string> instanceIds);

    /// <summary>The tenant, or null when no such tenant exists.</summary>
    Task<TenantSpec?> GetAsync();

    /// <summary>The tenant's dedicated hosts, including replacement hosts it was given.</summary>
    Task<IReadOnlyList<string>> GetHostIdsAsync();

    /// <summary>The tenant's instances.</summary>
    Task<IReadOnlyList<string>> GetInstanceIdsAsync();

    /// <summary>Adds a replacement host allocated from the spare pool.</summary>
    Task AddHostAsync(string hostId);

    /// <summary>The token of the tenant's calendar feed, made on first use.</summary>
    Task<string> GetCalendarTokenAsync();

    /// <summary>A new calendar token; the old feed address answers nothing from then on. Returns the new one.</summary>
    Task<string> RotateCalendarTokenAsync();

    /// <summary>Whether the token is the tenant's current calendar token.</summary>
    [Orleans.Concurrency.ReadOnly]
    Task<bool> IsCalendarTokenAsync(string token);

    /// <summary>How the tenant wants its instances moved, and its maintenance windows.</summary>
    Task<TenantPreferences> GetPreferencesAsync();

    /// <summary>Replaces the tenant's preferences; moves planned from now on follow them.</summary>
    Task SetPreferencesAsync(TenantPreferences preferences);
}
