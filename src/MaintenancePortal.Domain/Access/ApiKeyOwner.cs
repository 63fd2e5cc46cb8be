namespace MaintenancePortal.Domain.Access;

/// <summary>Whom a key acts for: one tenant, or the operators.</summary>
/// <param name="TenantId">The tenant; null for the operators.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.ApiKeyOwner")]
public sealed record ApiKeyOwner([property: Id(0)] string? TenantId)
{
    public static ApiKeyOwner Operators { get; } = new((string?)null);

    public static ApiKeyOwner Tenant(string tenantId) => new(tenantId);

    public bool IsOperators => TenantId is null;

    /// <summary>The owner as a grain key: <c>tenant/{id}</c> or <c>operators</c>.</summary>
    public string Key => TenantId is null ? "operators" : $"tenant/{TenantId}";

    public override string ToString() => Key;
}
