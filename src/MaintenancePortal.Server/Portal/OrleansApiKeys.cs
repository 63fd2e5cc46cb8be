using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Server.Access;
using MaintenancePortal.Server.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Portal;

/// <summary>API keys, kept by the key grains; who makes or revokes one is the current request's actor, and it is audited.</summary>
public sealed class OrleansApiKeys(IGrainFactory grains, CurrentActor current, AuditRecorder audit) : IApiKeys
{
    public Task<IReadOnlyList<ApiKey>> ListAsync(ApiKeyOwner owner, CancellationToken cancellationToken = default) =>
        Owner(owner).ListAsync();

    public Task<CreatedApiKey> CreateAsync(ApiKeyOwner owner, string? name, IReadOnlyList<ApiKeyScope>? scopes, DateTimeOffset? expiresAt,
        CancellationToken cancellationToken = default)
    {
        var actor = current.Value.Actor;
        return audit.RunAsync(AuditActions.KeyCreate, owner.TenantId, "new key",
            () => Owner(owner).CreateAsync(owner, name, scopes, expiresAt, $"{actor.Name} ({actor.Id})", actor.Kind == ActorKind.Key ? actor.Id : null),
            targetOf: created => created.Key.KeyId, cancellationToken: cancellationToken);
    }

    public Task<ApiKey> RevokeAsync(ApiKeyOwner owner, string keyId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.KeyRevoke, owner.TenantId, keyId, () => Owner(owner).RevokeAsync(owner, keyId),
            cancellationToken: cancellationToken);

    private IApiKeyOwnerGrain Owner(ApiKeyOwner owner) => grains.GetGrain<IApiKeyOwnerGrain>(owner.Key);
}
