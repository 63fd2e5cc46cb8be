using System.Collections.Immutable;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Instances;

namespace MaintenancePortal.Grains.Tenants;

/// <summary>
/// A tenant: its hosts, instances and preferences (stored), and a view of its instances' moves.
/// The view is not stored: the instances hold their moves, so it is read from them when the
/// tenant activates and kept current by the instances' follow-ups after each change. A stored
/// view would be rewritten whole on every change of every move, and would outgrow a table row.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Maintenance)] IPersistentState<TenantGrain.TenantRecord> state)
    : Grain, ITenantGrain
{
    /// <summary>Finished moves kept in the view; the oldest are dropped beyond this.</summary>
    private const int FinishedMovesKept = 1000;

    private ImmutableDictionary<string, InstanceMove> _moves = ImmutableDictionary<string, InstanceMove>.Empty;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var views = await Task.WhenAll(state.State.InstanceIds.Select(id => GrainFactory.GetGrain<IInstanceGrain>(id).GetAsync()));
        foreach (var move in views.OfType<InstanceView>().SelectMany(v => v.Moves))
        {
            Record(move);
        }
    }

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

    public Task RecordMoveAsync(InstanceMove move)
    {
        Record(move);
        return Task.CompletedTask;
    }

    /// <summary>Takes the newer copy of a move (copies can arrive late and twice).</summary>
    private void Record(InstanceMove move)
    {
        if (_moves.TryGetValue(move.MoveId, out var known) && known.Version >= move.Version)
        {
            return;
        }

        var moves = _moves.SetItem(move.MoveId, move);
        var finished = moves.Values.Where(m => m.State.IsTerminal()).ToList();
        if (finished.Count > FinishedMovesKept)
        {
            moves = moves.RemoveRange(finished.OrderBy(m => m.FinishedAt).Take(finished.Count - FinishedMovesKept)
                .Select(m => m.MoveId));
        }

        _moves = moves;
    }

    public Task<TenantPreferences> GetPreferencesAsync() => Task.FromResult(state.State.Preferences);

    public async Task SetPreferencesAsync(TenantPreferences preferences)
    {
        state.State.Preferences = preferences;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<InstanceMove>> GetMovesAsync() =>
        Task.FromResult<IReadOnlyList<InstanceMove>>(_moves.Values
            .OrderByDescending(m => m.ScheduledAt).ThenBy(m => m.Instance.Name, StringComparer.Ordinal).ToList());

    [GenerateSerializer, Alias("MaintenancePortal.TenantRecord")]
    public sealed class TenantRecord
    {
        [Id(0)] public TenantSpec? Spec { get; set; }

        [Id(1)] public ImmutableList<string> HostIds { get; set; } = [];

        [Id(2)] public ImmutableList<string> InstanceIds { get; set; } = [];

        [Id(4)] public TenantPreferences Preferences { get; set; } = TenantPreferences.None;
    }
}
