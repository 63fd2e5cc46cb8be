using Orleans.Concurrency;

namespace MaintenancePortal.Grains.Metadata;

/// <summary>
/// Finds the instance of a metadata address (key: <see cref="Domain.Metadata.MetadataToken.Key"/> of
/// its token). The instance keeps its current token; a request is answered only when the token it
/// came with is still that one, so an entry left behind by a rotation cut short answers nothing.
/// </summary>
public interface IMetadataTokenGrain : IGrainWithStringKey
{
    Task AssignAsync(string instanceId);

    Task RevokeAsync();

    /// <summary>The instance the token was given to, or null.</summary>
    [ReadOnly]
    Task<string?> GetInstanceIdAsync();
}

public sealed class MetadataTokenGrain(
    [PersistentState("metadatatoken", StorageNames.Maintenance)] IPersistentState<MetadataTokenGrain.TokenRecord> state)
    : Grain, IMetadataTokenGrain
{
    public async Task AssignAsync(string instanceId)
    {
        if (state.State.InstanceId != instanceId)
        {
            state.State.InstanceId = instanceId;
            await state.WriteStateAsync();
        }
    }

    public async Task RevokeAsync()
    {
        if (state.RecordExists)
        {
            await state.ClearStateAsync();
        }
    }

    public Task<string?> GetInstanceIdAsync() => Task.FromResult(state.State.InstanceId);

    [GenerateSerializer, Alias("MaintenancePortal.MetadataTokenRecord")]
    public sealed class TokenRecord
    {
        [Id(0)] public string? InstanceId { get; set; }
    }
}
