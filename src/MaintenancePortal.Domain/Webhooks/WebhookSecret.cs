using System.Security.Cryptography;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>
/// An endpoint's signing secret in the Standard Webhooks form: <c>whsec_</c> and the base64 of
/// random bytes (32 generated; at least 24 accepted).
/// </summary>
/// <param name="ExpiresAt">When a replaced secret stops signing; null while it is the current one.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.WebhookSecret")]
public sealed record WebhookSecret(
    [property: Id(0)] string Value,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] DateTimeOffset? ExpiresAt)
{
    public const string Prefix = "whsec_";
    public const int MinimumBytes = 24;
    private const int GeneratedBytes = 32;

    public static WebhookSecret Generate(DateTimeOffset now) =>
        new(Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(GeneratedBytes)), now, null);

    /// <summary>Whether the text is a secret of this form with enough key bytes.</summary>
    public static bool IsWellFormed(string value)
    {
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var key = new byte[value.Length];
        return Convert.TryFromBase64String(value[Prefix.Length..], key, out var length) && length >= MinimumBytes;
    }

    public bool IsValidAt(DateTimeOffset now) => ExpiresAt is not { } expires || now < expires;
}
