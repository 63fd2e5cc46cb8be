using System.Net;
using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Domain.Tests;

public sealed class OutboundAddressPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.1.2.3", "loopback")]
    [InlineData("0.0.0.0", "this network")]
    [InlineData("10.1.2.3", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.254", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("100.64.0.1", "CGNAT")]
    [InlineData("100.127.255.254", "CGNAT")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("192.0.2.10", "documentation")]
    [InlineData("224.0.0.251", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("255.255.255.255", "broadcast")]
    [InlineData("::1", "loopback")]
    [InlineData("::", "unspecified")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fc00::1", "unique local")]
    [InlineData("fd12:3456:789a::1", "unique local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("2001:db8::1", "documentation")]
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("::ffff:169.254.169.254", "metadata")]
    [InlineData("::ffff:10.0.0.1", "private")]
    [InlineData("::127.0.0.1", "loopback")]
    [InlineData("64:ff9b::a9fe:a9fe", "metadata")]
    [InlineData("64:ff9b::7f00:1", "loopback")]
    [InlineData("2002:7f00:1::1", "loopback")]
    [InlineData("2002:a9fe:a9fe::1", "metadata")]
    public void Internal_addresses_are_refused_naming_the_range(string address, string named)
    {
        var refusal = OutboundAddressPolicy.RefusalOf(IPAddress.Parse(address));

        Assert.NotNull(refusal);
        Assert.Contains(named, refusal, StringComparison.OrdinalIgnoreCase);
        Assert.False(OutboundAddressPolicy.IsAllowed(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("2130706433")] // decimal
    [InlineData("0x7f000001")] // hex
    [InlineData("0177.0.0.1")] // octal
    [InlineData("127.1")] // short form
    [InlineData("0xa9.0xfe.0xa9.0xfe")] // the metadata service in hex
    public void Other_spellings_of_an_internal_address_parse_to_the_address_the_policy_refuses(string spelling)
    {
        Assert.False(OutboundAddressPolicy.IsAllowed(IPAddress.Parse(spelling)));
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")] // just past 172.16.0.0/12
    [InlineData("100.128.0.1")] // just past CGNAT
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:82b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")] // NAT64 of a public address
    [InlineData("2002:808:808::1")] // 6to4 of a public address
    public void Public_addresses_are_allowed(string address)
    {
        Assert.True(OutboundAddressPolicy.IsAllowed(IPAddress.Parse(address)));
        Assert.Null(OutboundAddressPolicy.RefusalOf(IPAddress.Parse(address)));
    }
}
