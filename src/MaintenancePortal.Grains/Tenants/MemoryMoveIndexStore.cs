using System.Collections.Concurrent;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Grains.Tenants;

/// <summary>The embedded profile's move rows: in the process's memory, so they outlive a grain's deactivation, not a restart.</summary>
public sealed class MemoryMoveIndexStore : IMoveIndexStore
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, MoveSummary>> _tenants = new(StringComparer.Ordinal);

    public Task<IReadOnlyList<MoveSummary>> LoadAsync(string tenantId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MoveSummary>>(_tenants.TryGetValue(tenantId, out var moves) ? [.. moves.Values] : []);

    public Task SaveAsync(string tenantId, IReadOnlyList<MoveSummary> moves, CancellationToken cancellationToken)
    {
        var rows = _tenants.GetOrAdd(tenantId, _ => new ConcurrentDictionary<string, MoveSummary>(StringComparer.Ordinal));
        foreach (var move in moves)
        {
            rows[move.MoveId] = move;
        }

        return Task.CompletedTask;
    }
}
