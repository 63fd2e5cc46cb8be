using System.Collections.Immutable;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Access;

namespace MaintenancePortal.Grains.Tenants;

/// <summary>
/// A tenant: its hosts, instances and preferences. Its moves are listed by <see cref="ITenantMovesGrain"/>.
/// </summary>
public sealed class TenantGrain(
    [PersistentState("tenant", StorageNames.Maintenance)] IPersistentState<TenantGrain.TenantRecord> state)
    : Grain, ITenantGrain
{
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

    public async Task<string> GetCalendarTokenAsync() => state.State.CalendarToken ?? await RotateCalendarTokenAsync();

    public Task<string> RotateCalendarTokenAsync() =>
        AddressTokenGrain.RotateAsync(GrainFactory, AddressPurpose.Calendar, this.GetPrimaryKeyString(), state.State.CalendarToken, async token =>
        {
            state.State.CalendarToken = token;
            await state.WriteStateAsync();
        });

    public Task<bool> IsCalendarTokenAsync(string token) => Task.FromResult(AddressToken.Matches(token, state.State.CalendarToken));

    public Task<TenantPreferences> GetPreferencesAsync() => Task.FromResult(state.State.Preferences);

    public async Task SetPreferencesAsync(TenantPreferences preferences)
    {
        state.State.Preferences = preferences;
        await state.WriteStateAsync();
    }

    [GenerateSerializer, Alias("MaintenancePortal.TenantRecord")]
    public sealed class TenantRecord
    {
        [Id(0)] public TenantSpec? Spec { get; set; }

        [Id(1)] public ImmutableList<string> HostIds { get; set; } = [];

        [Id(2)] public ImmutableList<string> InstanceIds { get; set; } = [];

        [Id(4)] public TenantPreferences Preferences { get; set; } = TenantPreferences.None;

        /// <summary>The token of the tenant's calendar feed; null until first asked for.</summary>
        [Id(5)] public string? CalendarToken { get; set; }
    }
}
