using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Access;

/// <summary>
/// An API key as kept: whom it acts for, what it may do, until when, and the hash of its text
/// (never the text). Revoking is for good.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.ApiKey")]
public sealed record ApiKey(
    [property: Id(0)] string KeyId,
    [property: Id(1)] ApiKeyOwner Owner,
    [property: Id(2)] string Name,
    [property: Id(3)] ImmutableArray<ApiKeyScope> Scopes,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string CreatedBy,
    [property: Id(6)] DateTimeOffset? ExpiresAt,
    [property: Id(7)] DateTimeOffset? RevokedAt,
    [property: Id(8)] DateTimeOffset? LastUsedAt,
    [property: Id(9)] ImmutableArray<byte> Hash)
{
    public const int MaxNameLength = 100;

    /// <summary>Keys an owner can hold that can still be used.</summary>
    public const int MaxUsablePerOwner = 50;

    /// <summary>The furthest expiry a key can be given.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(366);

    /// <summary>A new key for <paramref name="owner"/>, checked: the text to show once, and the key to keep.</summary>
    /// <param name="maker">When a key makes the key: its scopes and expiry bound the new one's.</param>
    public static CreatedApiKey Create(ApiKeyOwner owner, string? name, IReadOnlyList<ApiKeyScope>? scopes,
        DateTimeOffset? expiresAt, string createdBy, ApiKey? maker, DateTimeOffset now)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw new InvalidRequestException("name", $"Give the key a name of 1 to {MaxNameLength} characters, without control characters.");
        }

        if (scopes is not { Count: > 0 } || scopes.Any(s => !Enum.IsDefined(s)) || scopes.Distinct().Count() != scopes.Count)
        {
            throw new InvalidRequestException("scopes", "Give one or both scopes, Read and Manage, each once.");
        }

        if (expiresAt is { } expires && (expires <= now || expires > now + MaxLifetime))
        {
            throw new InvalidRequestException("expiresAt", $"An expiry must be in the future and at most {MaxLifetime.TotalDays:0} days ahead.");
        }

        if (maker is not null)
        {
            if (scopes.Any(s => !maker.Allows(s)))
            {
                throw new InvalidRequestException("scopes", "A key can make keys with its own scopes at most.");
            }

            if (maker.ExpiresAt is { } makerExpires && (expiresAt is null || expiresAt > makerExpires))
            {
                throw new InvalidRequestException("expiresAt", $"A key can make keys that expire no later than itself ({makerExpires:O}).");
            }
        }

        var (id, text, hash) = ApiKeyText.Generate();
        var key = new ApiKey(id, owner, name, [.. scopes.Order()], now, createdBy, expiresAt, null, null, [.. hash]);
        return new CreatedApiKey(key, text);
    }

    /// <summary>Whether the key can be used now: not revoked, not expired.</summary>
    public bool IsUsableAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is not { } expires || now < expires);

    /// <summary>Whether the key's scopes allow <paramref name="scope"/>.</summary>
    public bool Allows(ApiKeyScope scope) => ScopesAllow(Scopes, scope);

    /// <summary>Whether <paramref name="held"/> allow <paramref name="needed"/>: Manage includes Read.</summary>
    public static bool ScopesAllow(IEnumerable<ApiKeyScope> held, ApiKeyScope needed) =>
        held.Any(scope => scope == needed || scope == ApiKeyScope.Manage);

    /// <summary>The scope a request needs: Read to read (GET, HEAD), Manage for anything else.</summary>
    public static ApiKeyScope ScopeFor(bool reads) => reads ? ApiKeyScope.Read : ApiKeyScope.Manage;

    /// <summary>Whether <paramref name="text"/> is this key's text, compared in constant time; a revoked or expired key matches nothing.</summary>
    public bool Admits(string text, DateTimeOffset now) => IsUsableAt(now) && ApiKeyText.Matches(text, [.. Hash]);

    public ApiKey Revoke(DateTimeOffset now) => RevokedAt is null ? this with { RevokedAt = now } : this;

    public ApiKey UsedAt(DateTimeOffset now) => this with { LastUsedAt = now };
}

/// <summary>What creating a key gives: the key as kept, and its text, shown once.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.CreatedApiKey")]
public sealed record CreatedApiKey([property: Id(0)] ApiKey Key, [property: Id(1)] string Text);
