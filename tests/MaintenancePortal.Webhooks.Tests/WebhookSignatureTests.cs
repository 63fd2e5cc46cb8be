using Microsoft.AspNetCore.Http;
using StandardWebhooks;

namespace MaintenancePortal.Webhooks.Tests;

public sealed class WebhookSignatureTests
{
    // The example of the Standard Webhooks specification.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Body = "{\"test\": 2432232314}";
    private static readonly DateTimeOffset Timestamp = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    [Fact]
    public void A_message_is_signed_as_the_specification_example_says()
    {
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSignature.Sign([Secret], MessageId, Timestamp, Body));
    }

    [Fact]
    public void During_a_rotation_both_secrets_sign_and_a_receiver_with_either_accepts()
    {
        const string next = "whsec_dGhlIG5leHQgc2VjcmV0IG9mIHRoaXMgZW5kcG9pbnQ=";
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign([Secret, next], MessageId, now, Body);

        var entries = signature.Split(' ');
        Assert.Equal(2, entries.Length);
        // The specification accepts a message when any entry matches. StandardWebhooks 1.1.2's
        // Verify looks at the first entry only, so each entry is checked on its own here.
        foreach (var secret in new[] { Secret, next })
        {
            Assert.Single(entries, entry => Verifies(secret, now, entry));
        }
    }

    private static bool Verifies(string secret, DateTimeOffset timestamp, string entry)
    {
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = MessageId,
            ["webhook-timestamp"] = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["webhook-signature"] = entry,
        };
        try
        {
            new StandardWebhook(secret).Verify(Body, headers);
            return true;
        }
        catch (StandardWebhooks.Diagnostics.WebhookVerificationException)
        {
            return false;
        }
    }
}
