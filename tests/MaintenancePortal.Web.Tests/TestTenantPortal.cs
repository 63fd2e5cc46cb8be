using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>
/// A tenant portal holding moves per tenant in memory, applying requests through the domain (lists through
/// the domain's <see cref="MoveIndex"/>), counting reads.
/// </summary>
public sealed class TestTenantPortal : ITenantPortal
{
    public Dictionary<string, IReadOnlyList<InstanceMove>> Moves { get; } = [];

    public Dictionary<string, TenantPreferences> Preferences { get; } = [];

    public List<string> Reads { get; } = [];

    /// <summary>The clock requests are applied at.</summary>
    public DateTimeOffset Now { get; set; } = Tests.Moves.Now;

    public Task<IReadOnlyList<TenantSpec>> GetTenantsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<TenantSpec>>([.. Moves.Keys.Select(t => new TenantSpec(t, t))]);

    public Task<MovePage> QueryMovesAsync(string tenantId, MoveQuery query, string? after, CancellationToken cancellationToken = default)
    {
        Reads.Add(tenantId);
        var index = new MoveIndex();
        foreach (var move in Moves.GetValueOrDefault(tenantId) ?? [])
        {
            index.Upsert(MoveSummary.Of(move));
        }

        return Task.FromResult(index.Query(query, after));
    }

    public Task<InstanceMove> GetMoveAsync(string tenantId, string moveId, CancellationToken cancellationToken = default)
    {
        Reads.Add(tenantId);
        return Task.FromResult((Moves.GetValueOrDefault(tenantId) ?? []).FirstOrDefault(m => m.MoveId == moveId)
                               ?? throw new NotFoundException($"You have no move {moveId}."));
    }

    public Task<InstanceMove> RescheduleAsync(string tenantId, string moveId, DateTimeOffset start, CancellationToken cancellationToken = default) =>
        Change(tenantId, moveId, move => move.Reschedule(Now, start));

    public Task<InstanceMove> ApproveAsync(string tenantId, string moveId, CancellationToken cancellationToken = default) =>
        Change(tenantId, moveId, move => move.Approve(Now));

    private Task<InstanceMove> Change(string tenantId, string moveId, Func<InstanceMove, InstanceMove> change)
    {
        var moves = Moves.GetValueOrDefault(tenantId) ?? [];
        var changed = change(moves.FirstOrDefault(m => m.MoveId == moveId) ?? throw new NotFoundException($"You have no move {moveId}."));
        Moves[tenantId] = [.. moves.Select(m => m.MoveId == moveId ? changed : m)];
        return Task.FromResult(changed);
    }

    /// <summary>The metadata tokens given, per instance.</summary>
    public Dictionary<string, string> MetadataTokens { get; } = [];

    public Task<string> GetMetadataTokenAsync(string tenantId, string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(MetadataTokens.TryGetValue(OwnInstance(tenantId, instanceId), out var token) ? token : MetadataTokens[instanceId] = $"token-{MetadataTokens.Count + 1}");

    public Task<string> RotateMetadataTokenAsync(string tenantId, string instanceId, CancellationToken cancellationToken = default) =>
        Task.FromResult(MetadataTokens[OwnInstance(tenantId, instanceId)] = $"token-{MetadataTokens.Count + 1}-rotated");

    private string OwnInstance(string tenantId, string instanceId) =>
        (Moves.GetValueOrDefault(tenantId) ?? []).Any(m => m.InstanceId == instanceId) ? instanceId : throw new NotFoundException($"You have no instance {instanceId}.");

    public Dictionary<string, string> CalendarTokens { get; } = [];

    public Task<string> GetCalendarTokenAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(CalendarTokens.TryGetValue(tenantId, out var token) ? token : CalendarTokens[tenantId] = $"calendar-{tenantId}");

    public Task<string> RotateCalendarTokenAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(CalendarTokens[tenantId] = $"calendar-{tenantId}-{CalendarTokens.Count + 1}");

    public Task<IReadOnlySet<string>> GetInstanceIdsAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlySet<string>>((Moves.GetValueOrDefault(tenantId) ?? []).Select(m => m.InstanceId).ToHashSet());

    public Task<TenantPreferences> GetPreferencesAsync(string tenantId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Preferences.GetValueOrDefault(tenantId) ?? TenantPreferences.None);

    public Task SetPreferencesAsync(string tenantId, TenantPreferences preferences, CancellationToken cancellationToken = default)
    {
        Preferences[tenantId] = preferences;
        return Task.CompletedTask;
    }
}
