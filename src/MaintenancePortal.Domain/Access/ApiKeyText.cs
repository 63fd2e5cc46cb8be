using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace MaintenancePortal.Domain.Access;

/// <summary>
/// The text of an API key, <c>mpk_{id}_{secret}</c>: a public id of 12 lowercase letters and
/// digits (lists and the audit trail show it; it finds the key) and 32 random bytes in base64url.
/// Only its SHA-256 is kept; with 256 random bits a slow hash adds nothing.
/// </summary>
public static class ApiKeyText
{
    public const string Prefix = "mpk_";
    public const int IdLength = 12;
    private const int SecretBytes = 32;
    private const int SecretLength = 43; // base64url of 32 bytes, unpadded
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static readonly SearchValues<char> IdChars = SearchValues.Create(IdAlphabet);
    private static readonly SearchValues<char> SecretChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

    /// <summary>A new key: its id, the text shown once, and the hash kept.</summary>
    public static (string Id, string Text, byte[] Hash) Generate()
    {
        var id = RandomNumberGenerator.GetString(IdAlphabet, IdLength);
        var text = $"{Prefix}{id}_{Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(SecretBytes))}";
        return (id, text, Hash(text));
    }

    /// <summary>The key's id when the text has the form of a key; nothing is looked up.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out string id)
    {
        id = "";
        if (text.Length != Prefix.Length + IdLength + 1 + SecretLength || !text.StartsWith(Prefix, StringComparison.Ordinal)
            || text[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        var idPart = text.Slice(Prefix.Length, IdLength);
        var secret = text[(Prefix.Length + IdLength + 1)..];
        if (idPart.ContainsAnyExcept(IdChars) || secret.ContainsAnyExcept(SecretChars))
        {
            return false;
        }

        id = idPart.ToString();
        return true;
    }

    /// <summary>Whether a text is a key id (what the routes take).</summary>
    public static bool IsId(string value) => value.Length == IdLength && !value.AsSpan().ContainsAnyExcept(IdChars);

    public static byte[] Hash(string text) => SHA256.HashData(Encoding.UTF8.GetBytes(text));

    /// <summary>Whether the text hashes to the stored hash, in constant time.</summary>
    public static bool Matches(string text, byte[] hash) => CryptographicOperations.FixedTimeEquals(Hash(text), hash);

}
