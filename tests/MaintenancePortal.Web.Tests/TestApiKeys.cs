using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>API keys in memory, made and checked by the domain's own rules.</summary>
public sealed class TestApiKeys : IApiKeys
{
    public List<ApiKey> Keys { get; } = [];

    public Task<IReadOnlyList<ApiKey>> ListAsync(ApiKeyOwner owner, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<ApiKey>>([.. Keys.Where(k => k.Owner == owner).OrderByDescending(k => k.CreatedAt)]);

    public Task<CreatedApiKey> CreateAsync(ApiKeyOwner owner, string? name, IReadOnlyList<ApiKeyScope>? scopes, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken = default)
    {
        var created = ApiKey.Create(owner, name, scopes, expiresAt, "test", null, Moves.Now);
        Keys.Add(created.Key);
        return Task.FromResult(created);
    }

    public Task<ApiKey> RevokeAsync(ApiKeyOwner owner, string keyId, CancellationToken cancellationToken = default)
    {
        var index = Keys.FindIndex(k => k.KeyId == keyId && k.Owner == owner);
        if (index < 0)
        {
            throw new NotFoundException($"Key {keyId} does not exist.");
        }

        Keys[index] = Keys[index].Revoke(Moves.Now);
        return Task.FromResult(Keys[index]);
    }
}
