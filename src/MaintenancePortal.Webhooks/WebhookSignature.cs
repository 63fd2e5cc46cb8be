using StandardWebhooks;

namespace MaintenancePortal.Webhooks;

/// <summary>
/// The <c>webhook-signature</c> header of Standard Webhooks: <c>v1,</c> and the base64
/// HMAC-SHA256 of <c>id.timestamp.body</c> under an endpoint's secret. While a secret is being
/// rotated the message is signed with both, entries separated by a space, so a receiver holding
/// either secret accepts it.
/// </summary>
public static class WebhookSignature
{
    public static string Sign(IEnumerable<string> secrets, string messageId, DateTimeOffset timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => new StandardWebhook(secret).Sign(messageId, timestamp, body)));
}
