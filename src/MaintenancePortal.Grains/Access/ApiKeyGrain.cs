using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Access;

namespace MaintenancePortal.Grains.Access;

/// <summary>An API key: checks the text of each request made with it; notes its last use at most once a minute in storage.</summary>
public sealed class ApiKeyGrain(
    [PersistentState("apikey", StorageNames.Maintenance)] IPersistentState<ApiKeyGrain.ApiKeyRecord> state,
    TimeProvider time)
    : Grain, IApiKeyGrain
{
    private static readonly TimeSpan LastUseWrittenEvery = TimeSpan.FromMinutes(1);

    private ApiKey? _key;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = state.State.Key;
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The last use noted in memory only, kept when the activation ends (at best: a crash loses up to a minute of it).
        if (_key is not null && state.State.Key is { } stored && _key.LastUsedAt != stored.LastUsedAt && _key.RevokedAt == stored.RevokedAt)
        {
            state.State.Key = _key;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    public async Task CreateAsync(ApiKey key)
    {
        if (_key is not null)
        {
            if (_key.Hash.SequenceEqual(key.Hash))
            {
                return;
            }

            throw new DomainException($"Key {key.KeyId} already exists.");
        }

        state.State.Key = key;
        await state.WriteOrReloadAsync(this);
        _key = key;
    }

    public Task<ApiKey?> GetAsync() => Task.FromResult(_key);

    public async Task<ApiKey?> AuthenticateAsync(string text)
    {
        var now = time.GetUtcNow();
        if (_key is null || !_key.Admits(text, now))
        {
            return null;
        }

        var lastWritten = state.State.Key?.LastUsedAt;
        _key = _key.UsedAt(now);
        if (lastWritten is null || now - lastWritten >= LastUseWrittenEvery)
        {
            state.State.Key = _key;
            await state.WriteOrReloadAsync(this);
        }

        return _key;
    }

    public async Task<ApiKey> RevokeAsync(ApiKeyOwner owner)
    {
        if (_key is null || _key.Owner != owner)
        {
            throw new NotFoundException($"Key {this.GetPrimaryKeyString()} does not exist.");
        }

        if (_key.RevokedAt is null)
        {
            var revoked = _key.Revoke(time.GetUtcNow());
            state.State.Key = revoked;
            await state.WriteOrReloadAsync(this);
            _key = revoked;
        }

        return _key;
    }

    [GenerateSerializer, Alias("MaintenancePortal.ApiKeyRecord")]
    public sealed class ApiKeyRecord
    {
        [Id(0)] public ApiKey? Key { get; set; }
    }
}
