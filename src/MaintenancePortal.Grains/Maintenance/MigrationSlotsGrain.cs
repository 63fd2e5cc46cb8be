using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Grains.Maintenance;

public sealed class MigrationSlotsGrain(
    [PersistentState("slots", StorageNames.Maintenance)] IPersistentState<MigrationSlotsGrain.SlotsRecord> state,
    IOptions<MaintenanceOptions> options,
    TimeProvider time)
    : Grain, IMigrationSlotsGrain
{
    public async Task<bool> TryAcquireAsync(MigrationSlot slot, int priority)
    {
        if (state.State.Slots.Held.ContainsKey(slot.MoveId))
        {
            return true;
        }

        (state.State.Slots, var granted) = state.State.Slots.Request(slot, priority, time.GetUtcNow(), options.Value);
        await state.WriteStateAsync();
        return granted;
    }

    public async Task ReleaseAsync(string moveId)
    {
        if (state.State.Slots.Held.ContainsKey(moveId))
        {
            state.State.Slots = state.State.Slots.Release(moveId);
            await state.WriteStateAsync();
        }
    }

    public Task<MigrationSlots> GetAsync() => Task.FromResult(state.State.Slots);

    [GenerateSerializer, Alias("MaintenancePortal.SlotsRecord")]
    public sealed class SlotsRecord
    {
        [Id(0)] public MigrationSlots Slots { get; set; } = MigrationSlots.Empty;
    }
}
