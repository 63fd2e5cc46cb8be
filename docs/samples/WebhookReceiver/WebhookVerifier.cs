using System.Security.Cryptography;
using System.Text;

namespace WebhookReceiver;

/// <summary>
/// Checks that a webhook came from MaintenancePortal (Standard Webhooks, v1 signatures):
/// HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c> with the endpoint's secret,
/// compared in constant time with each <c>v1,</c> entry of <c>webhook-signature</c>. While a
/// secret is being rotated the header carries one entry per secret, so each entry is checked,
/// not only the first. Messages whose timestamp is more than five minutes from now are refused,
/// so a captured message cannot be replayed later.
/// </summary>
public sealed class WebhookVerifier
{
    /// <summary>How far a message's timestamp may be from the receiver's clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private const string SecretPrefix = "whsec_";
    private readonly byte[][] _keys;
    private readonly TimeProvider _time;

    /// <param name="secrets">The endpoint's secrets as shown in the portal (<c>whsec_…</c>); give both while rotating.</param>
    public WebhookVerifier(IEnumerable<string> secrets, TimeProvider? time = null)
    {
        _keys = [.. secrets.Select(s => Convert.FromBase64String(s.StartsWith(SecretPrefix, StringComparison.Ordinal) ? s[SecretPrefix.Length..] : s))];
        _time = time ?? TimeProvider.System;
        if (_keys.Length == 0)
        {
            throw new ArgumentException("Give at least one secret.", nameof(secrets));
        }
    }

    /// <summary>Null when the message is genuine and fresh; otherwise why it is refused.</summary>
    public string? Check(string? id, string? timestamp, string? signature, string body)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return "The webhook-id, webhook-timestamp or webhook-signature header is missing.";
        }

        if (!long.TryParse(timestamp, out var seconds))
        {
            return "The webhook-timestamp header is not a number of seconds.";
        }

        var age = _time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (age.Duration() > Tolerance)
        {
            return $"The timestamp is {age.TotalSeconds:0} s from now; at most {Tolerance.TotalSeconds:0} s is accepted.";
        }

        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}");
        var expected = _keys.Select(key => HMACSHA256.HashData(key, signed)).ToList();
        foreach (var entry in signature.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = entry.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0 || entry[..comma] != "v1")
            {
                continue;
            }

            var given = new byte[32];
            if (Convert.TryFromBase64String(entry[(comma + 1)..], given, out var length) && length == given.Length
                && expected.Any(e => CryptographicOperations.FixedTimeEquals(e, given)))
            {
                return null;
            }
        }

        return "No signature matches a secret of this endpoint.";
    }
}
