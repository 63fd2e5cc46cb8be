using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MaintenancePortal.Domain.Access;

/// <summary>What a secret address opens.</summary>
public enum AddressPurpose
{
    /// <summary>An instance's metadata address, <c>/imds/{token}</c>: what a host-local proxy maps the instance's 169.254.169.254 traffic to.</summary>
    InstanceMetadata,

    /// <summary>A tenant's calendar feed, <c>/calendar/{token}.ics</c>.</summary>
    Calendar,

    /// <summary>A notice contact's confirmation link, <c>/notices/confirm/{token}</c>.</summary>
    ContactConfirmation,

    /// <summary>A notice contact's unsubscribe link, <c>/notices/unsubscribe/{token}</c> (RFC 8058 one-click).</summary>
    Unsubscribe,
}

/// <summary>
/// The token of a secret address: 32 random bytes in base64url, the only credential the address
/// needs. Its owner keeps the current token; the index that finds the owner is keyed by the
/// purpose and the token's SHA-256, so storage never holds a token in a key.
/// </summary>
public static class AddressToken
{
    private const int Length = 43; // base64url of 32 bytes, unpadded
    private static readonly SearchValues<char> Chars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether the text has the form of a token; nothing is looked up.</summary>
    public static bool IsWellFormed(string? text) => text is { Length: Length } && !text.AsSpan().ContainsAnyExcept(Chars);

    /// <summary>The key of the token's index entry: the purpose and the token's SHA-256 in lowercase hex.</summary>
    public static string Key(AddressPurpose purpose, string token) =>
        $"{purpose}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))}";

    /// <summary>Whether a presented token is the owner's current one, in constant time.</summary>
    public static bool Matches(string presented, string? current) =>
        current is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(current));
}
