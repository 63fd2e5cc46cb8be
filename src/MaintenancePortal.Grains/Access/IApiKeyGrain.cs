using MaintenancePortal.Domain.Access;

namespace MaintenancePortal.Grains.Access;

/// <summary>
/// One API key, keyed by its public id. Every request made with the key asks this grain, the
/// one activation in the cluster, so a revocation or an expiry holds at once everywhere.
/// </summary>
public interface IApiKeyGrain : IGrainWithStringKey
{
    /// <summary>Keeps a new key; the same key again is a no-op.</summary>
    Task CreateAsync(ApiKey key);

    /// <summary>The key, or null when there is none with this id.</summary>
    Task<ApiKey?> GetAsync();

    /// <summary>The key when <paramref name="text"/> is its text and it can be used now (its last use is noted); otherwise null.</summary>
    Task<ApiKey?> AuthenticateAsync(string text);

    /// <summary>Revokes the key for good; refused as not found when it is not <paramref name="owner"/>'s.</summary>
    Task<ApiKey> RevokeAsync(ApiKeyOwner owner);
}

/// <summary>The keys of one owner (a tenant, or the operators), keyed by <see cref="ApiKeyOwner.Key"/>.</summary>
public interface IApiKeyOwnerGrain : IGrainWithStringKey
{
    /// <summary>Makes a key for the owner (checked by the domain's rules), and returns its text once.</summary>
    /// <param name="makerKeyId">The key the request came with, when a key makes the key: it bounds the new key.</param>
    Task<CreatedApiKey> CreateAsync(ApiKeyOwner owner, string? name, IReadOnlyList<ApiKeyScope>? scopes, DateTimeOffset? expiresAt,
        string createdBy, string? makerKeyId);

    /// <summary>The owner's keys, newest first; revoked ones for 30 days after their revocation.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync();

    /// <summary>Revokes one of the owner's keys; another owner's key is not found.</summary>
    Task<ApiKey> RevokeAsync(ApiKeyOwner owner, string keyId);
}
