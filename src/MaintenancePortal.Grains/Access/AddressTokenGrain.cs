using MaintenancePortal.Domain.Access;
using Orleans.Concurrency;

namespace MaintenancePortal.Grains.Access;

/// <summary>
/// Finds the owner of a secret address (key: <see cref="AddressToken.Key"/>): an instance for its
/// metadata address, a tenant for its calendar. The owner keeps its current token, and a request is
/// answered only when the token it came with is still that one, so an entry left behind by a rotation
/// cut short answers nothing.
/// </summary>
public interface IAddressTokenGrain : IGrainWithStringKey
{
    Task AssignAsync(string ownerId);

    Task RevokeAsync();

    /// <summary>The owner the token was given to, or null.</summary>
    [ReadOnly]
    Task<string?> GetOwnerAsync();
}

public sealed class AddressTokenGrain(
    [PersistentState("addresstoken", StorageNames.Maintenance)] IPersistentState<AddressTokenGrain.TokenRecord> state)
    : Grain, IAddressTokenGrain
{
    public async Task AssignAsync(string ownerId)
    {
        if (state.State.OwnerId != ownerId)
        {
            state.State.OwnerId = ownerId;
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

    public Task<string?> GetOwnerAsync() => Task.FromResult(state.State.OwnerId);

    /// <summary>
    /// Gives an owner a new token: indexed first, so a token the owner keeps is always found, then
    /// kept by the owner (<paramref name="keep"/>), then the old one's entry removed.
    /// </summary>
    public static async Task<string> RotateAsync(IGrainFactory grains, AddressPurpose purpose, string ownerId, string? old, Func<string, Task> keep)
    {
        var token = AddressToken.New();
        await grains.GetGrain<IAddressTokenGrain>(AddressToken.Key(purpose, token)).AssignAsync(ownerId);
        await keep(token);
        if (old is not null)
        {
            await grains.GetGrain<IAddressTokenGrain>(AddressToken.Key(purpose, old)).RevokeAsync();
        }

        return token;
    }

    [GenerateSerializer, Alias("MaintenancePortal.AddressTokenRecord")]
    public sealed class TokenRecord
    {
        [Id(0)] public string? OwnerId { get; set; }
    }
}
