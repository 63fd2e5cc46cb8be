using System.Collections.Immutable;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Access;

namespace MaintenancePortal.Grains.Access;

/// <summary>
/// The list of an owner's keys (ids only; each key keeps itself). A key is listed before it is
/// made, so a crash between the two leaves an id with no key, which the list skips and drops; never a
/// key nobody can list and revoke.
/// </summary>
public sealed class ApiKeyOwnerGrain(
    [PersistentState("apikeys", StorageNames.Maintenance)] IPersistentState<ApiKeyOwnerGrain.OwnerRecord> state,
    TimeProvider time)
    : Grain, IApiKeyOwnerGrain
{
    /// <summary>How long a revoked or expired key stays listed.</summary>
    private static readonly TimeSpan ListedAfterEnd = TimeSpan.FromDays(30);

    public async Task<CreatedApiKey> CreateAsync(ApiKeyOwner owner, string? name, IReadOnlyList<ApiKeyScope>? scopes,
        DateTimeOffset? expiresAt, string createdBy, string? makerKeyId)
    {
        CheckOwner(owner);
        var now = time.GetUtcNow();
        var maker = makerKeyId is null ? null : await GrainFactory.GetGrain<IApiKeyGrain>(makerKeyId).GetAsync();
        if (makerKeyId is not null && (maker is null || maker.Owner != owner))
        {
            throw new NotFoundException($"Key {makerKeyId} does not exist.");
        }

        var created = ApiKey.Create(owner, name, scopes, expiresAt, createdBy, maker, now);
        var keys = await ListAsync();
        if (keys.Count(k => k.IsUsableAt(now)) >= ApiKey.MaxUsablePerOwner)
        {
            throw new DomainException($"An owner can hold {ApiKey.MaxUsablePerOwner} keys that can be used; revoke one first.");
        }

        state.State.KeyIds = [.. keys.Select(k => k.KeyId).Append(created.Key.KeyId)];
        await state.WriteOrReloadAsync(this);
        await GrainFactory.GetGrain<IApiKeyGrain>(created.Key.KeyId).CreateAsync(created.Key);
        return created;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync()
    {
        var now = time.GetUtcNow();
        var keys = await Task.WhenAll(state.State.KeyIds.Select(id => GrainFactory.GetGrain<IApiKeyGrain>(id).GetAsync()));
        return [.. keys.OfType<ApiKey>()
            .Where(k => k.IsUsableAt(now) || now - (k.RevokedAt ?? k.ExpiresAt ?? now) < ListedAfterEnd)
            .OrderByDescending(k => k.CreatedAt)];
    }

    public async Task<ApiKey> RevokeAsync(ApiKeyOwner owner, string keyId)
    {
        CheckOwner(owner);
        if (!state.State.KeyIds.Contains(keyId))
        {
            throw new NotFoundException($"Key {keyId} does not exist.");
        }

        return await GrainFactory.GetGrain<IApiKeyGrain>(keyId).RevokeAsync(owner);
    }

    private void CheckOwner(ApiKeyOwner owner)
    {
        if (owner.Key != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"The keys of {this.GetPrimaryKeyString()} are not {owner.Key}'s.", nameof(owner));
        }
    }

    [GenerateSerializer, Alias("MaintenancePortal.ApiKeyOwnerRecord")]
    public sealed class OwnerRecord
    {
        [Id(0)] public ImmutableList<string> KeyIds { get; set; } = [];
    }
}
