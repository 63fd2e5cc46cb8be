using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Domain.Tests.Webhooks;

public sealed class WebhookUrlTests
{
    [Theory]
    [InlineData("https://hooks.example.com/maintenance")]
    [InlineData("https://93.184.216.34:8443/hook?x=1")]
    public void Public_https_urls_are_accepted(string url) => Assert.Equal(new Uri(url), WebhookUrl.Parse(url, allowInsecure: false));

    [Theory]
    [InlineData(null, "absolute https:// URL")]
    [InlineData("hooks.example.com/x", "absolute https:// URL")]
    [InlineData("http://hooks.example.com/x", "must be https://")]
    [InlineData("ftp://hooks.example.com/x", "must be https://")]
    [InlineData("https://user:pass@hooks.example.com/x", "user name")]
    [InlineData("https://localhost/x", "loopback")]
    [InlineData("https://a.localhost/x", "loopback")]
    [InlineData("https://127.0.0.1/x", "loopback")]
    [InlineData("https://169.254.169.254/latest/meta-data", "metadata")]
    [InlineData("https://10.0.0.5/x", "private")]
    [InlineData("https://[::ffff:127.0.0.1]/x", "loopback")]
    [InlineData("https://[fd00::1]/x", "unique local")]
    [InlineData("https://2130706433/x", "loopback")]
    [InlineData("https://0x7f000001/x", "loopback")]
    public void Urls_deliveries_may_not_use_are_refused(string? url, string why) =>
        Assert.Contains(why, Assert.Throws<InvalidRequestException>(() => WebhookUrl.Parse(url, allowInsecure: false)).Message);

    [Theory]
    [InlineData("http://127.0.0.1:5099/hook")]
    [InlineData("http://localhost:5099/hook")]
    public void Insecure_urls_pass_only_where_allowed(string url) => Assert.Equal(new Uri(url), WebhookUrl.Parse(url, allowInsecure: true));

    [Fact]
    public void Allowing_insecure_urls_still_refuses_the_metadata_service() =>
        Assert.Throws<InvalidRequestException>(() => WebhookUrl.Parse("http://169.254.169.254/", allowInsecure: true));
}
