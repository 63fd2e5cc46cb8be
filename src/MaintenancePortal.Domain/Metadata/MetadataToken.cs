using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MaintenancePortal.Domain.Metadata;

/// <summary>
/// The token of an instance's metadata address (<c>/imds/{token}</c>): 32 random bytes in base64url.
/// It is what a host-local metadata proxy maps the instance's 169.254.169.254 traffic to. The
/// index that finds the instance is keyed by its SHA-256, so storage never holds it in a key.
/// </summary>
public static class MetadataToken
{
    private const int Length = 43; // base64url of 32 bytes, unpadded
    private static readonly SearchValues<char> Chars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    public static string New() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>Whether the text has the form of a token; nothing is looked up.</summary>
    public static bool IsWellFormed(string? text) => text is { Length: Length } && !text.AsSpan().ContainsAnyExcept(Chars);

    /// <summary>The key of the token's index entry: its SHA-256 in lowercase hex.</summary>
    public static string Key(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>Whether a presented token is the instance's current one, in constant time.</summary>
    public static bool Matches(string presented, string? current) =>
        current is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(current));
}
