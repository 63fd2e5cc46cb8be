using System.Text;
using Microsoft.Extensions.Time.Testing;
using WebhookReceiver;

namespace MaintenancePortal.Webhooks.Tests;

/// <summary>The verifier of the receiver sample in docs/, against what the sender signs.</summary>
public sealed class ReceiverSampleTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Body = """{"type":"com.maintenanceportal.host.drained"}""";
    private static readonly DateTimeOffset SignedAt = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static string? CheckAt(TimeSpan receivedAfter, string body = Body, string secret = Secret, string? signature = null) =>
        new WebhookVerifier([secret], new FakeTimeProvider(SignedAt + receivedAfter))
            .Check("msg_1", SignedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                signature ?? WebhookSignature.Sign([Secret], "msg_1", SignedAt, Body), body);

    [Theory]
    [InlineData(0)]
    [InlineData(299)]
    [InlineData(-299)]
    [InlineData(300)]
    public void A_message_within_five_minutes_is_accepted(int seconds) => Assert.Null(CheckAt(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    [InlineData(86_400)]
    public void A_message_further_than_five_minutes_away_is_refused(int seconds) =>
        Assert.Contains("at most 300 s", CheckAt(TimeSpan.FromSeconds(seconds)), StringComparison.Ordinal);

    [Fact]
    public void A_changed_body_is_refused() =>
        Assert.Contains("No signature matches", CheckAt(TimeSpan.Zero, body: Body.Replace("drained", "cancelled", StringComparison.Ordinal)),
            StringComparison.Ordinal);

    [Fact]
    public void Another_secret_is_refused() =>
        Assert.NotNull(CheckAt(TimeSpan.Zero, secret: "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("another-secret-of-24-bytes!"))));

    [Fact]
    public void The_specification_example_verifies()
    {
        var verifier = new WebhookVerifier([Secret], new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1614265330)));

        Assert.Null(verifier.Check("msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
            """{"test": 2432232314}"""));
    }

    [Fact]
    public void A_receiver_on_the_new_secret_accepts_a_rotation_header_whichever_entry_comes_first()
    {
        var newSecret = "whsec_" + Convert.ToBase64String(new byte[32].Select((_, i) => (byte)i).ToArray());
        var header = WebhookSignature.Sign([Secret, newSecret], "msg_1", SignedAt, Body);

        Assert.Null(CheckAt(TimeSpan.Zero, secret: newSecret, signature: header));
        Assert.Null(CheckAt(TimeSpan.Zero, secret: Secret, signature: header));
    }

    [Theory]
    [InlineData(null, "1", "v1,x")]
    [InlineData("msg_1", null, "v1,x")]
    [InlineData("msg_1", "1", null)]
    [InlineData("msg_1", "yesterday", "v1,x")]
    public void Missing_or_malformed_headers_are_refused(string? id, string? timestamp, string? signature) =>
        Assert.NotNull(new WebhookVerifier([Secret]).Check(id, timestamp, signature, Body));
}
