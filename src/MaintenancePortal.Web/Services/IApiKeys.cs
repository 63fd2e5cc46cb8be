using MaintenancePortal.Domain.Access;

namespace MaintenancePortal.Web.Services;

/// <summary>The API keys of one owner (a tenant, or the operators). Who creates or revokes is the caller of the current request.</summary>
public interface IApiKeys
{
    /// <summary>The owner's keys, newest first, without their text.</summary>
    Task<IReadOnlyList<ApiKey>> ListAsync(ApiKeyOwner owner, CancellationToken cancellationToken = default);

    /// <summary>Makes a key; its text is in the answer, and nowhere else ever again.</summary>
    Task<CreatedApiKey> CreateAsync(ApiKeyOwner owner, string? name, IReadOnlyList<ApiKeyScope>? scopes, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken = default);

    /// <summary>Revokes one of the owner's keys: refused at once from then on.</summary>
    Task<ApiKey> RevokeAsync(ApiKeyOwner owner, string keyId, CancellationToken cancellationToken = default);
}
