using System.Collections.Immutable;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Grains.Tenants;

public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Maintenance)] IPersistentState<TenantGrain.TenantRecord> state)
    : Grain, ITenantGrain
{
    /// <summary>Finished moves kept for the tenant's history; the oldest are dropped beyond this.</summary>
    private const int FinishedMovesKept = 1000;

    public async Task InitializeAsync(TenantSpec spec, IReadOnlyList<string> hostIds, IReadOnlyList<string> instanceIds)
    {
        if (state.State.Spec is not null)
        {
            return;
        }

        state.State = new TenantRecord
        {
            Spec = spec,
            HostIds = [.. hostIds],
            InstanceIds = [.. instanceIds],
        };
        await state.WriteStateAsync();
    }

    public Task<TenantSpec?> GetAsync() => Task.FromResult(state.State.Spec);

    public Task<IReadOnlyList<string>> GetHostIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.HostIds);

    public Task<IReadOnlyList<string>> GetInstanceIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.State.InstanceIds);

    public async Task AddHostAsync(string hostId)
    {
        if (!state.State.HostIds.Contains(hostId))
        {
            state.State.HostIds = state.State.HostIds.Add(hostId);
            await state.WriteStateAsync();
        }
    }

    public async Task RecordMoveAsync(InstanceMove move)
    {
        var moves = state.State.Moves;
        if (moves.TryGetValue(move.MoveId, out var known) && known.Version >= move.Version)
        {
            return;
        }

        moves = moves.SetItem(move.MoveId, move);
        var finished = moves.Values.Where(m => m.State.IsTerminal()).ToList();
        if (finished.Count > FinishedMovesKept)
        {
            moves = moves.RemoveRange(finished.OrderBy(m => m.FinishedAt).Take(finished.Count - FinishedMovesKept)
                .Select(m => m.MoveId));
        }

        state.State.Moves = moves;
        await state.WriteStateAsync();
    }

    public Task<TenantPreferences> GetPreferencesAsync() => Task.FromResult(state.State.Preferences);

    public async Task SetPreferencesAsync(TenantPreferences preferences)
    {
        state.State.Preferences = preferences;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<InstanceMove>> GetMovesAsync() =>
        Task.FromResult<IReadOnlyList<InstanceMove>>(state.State.Moves.Values
            .OrderByDescending(m => m.ScheduledAt).ThenBy(m => m.Instance.Name, StringComparer.Ordinal).ToList());

    [GenerateSerializer, Alias("MaintenancePortal.TenantRecord")]
    public sealed class TenantRecord
    {
        [Id(0)] public TenantSpec? Spec { get; set; }

        [Id(1)] public ImmutableList<string> HostIds { get; set; } = [];

        [Id(2)] public ImmutableList<string> InstanceIds { get; set; } = [];

        [Id(3)] public ImmutableDictionary<string, InstanceMove> Moves { get; set; } =
            ImmutableDictionary<string, InstanceMove>.Empty;

        [Id(4)] public TenantPreferences Preferences { get; set; } = TenantPreferences.None;
    }
}
