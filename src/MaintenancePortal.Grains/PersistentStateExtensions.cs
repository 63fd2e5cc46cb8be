namespace MaintenancePortal.Grains;

public static class PersistentStateExtensions
{
    /// <summary>
    /// Writes the grain's state. If the write fails, the activation's memory is ahead of what is
    /// stored: the activation is dropped (the grain reads its stored state when next called) and the
    /// failure passes on to the caller, who tries again.
    /// </summary>
    public static async Task WriteOrReloadAsync<TState>(this IPersistentState<TState> state, IGrainBase grain)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
