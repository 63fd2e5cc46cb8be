using System.Net;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>
/// Which addresses webhook deliveries may connect to. A tenant chooses the URL, so the sender must
/// never reach the provider's own networks: loopback, private, link-local (with the metadata
/// service), shared (CGNAT), reserved, documentation, multicast and broadcast ranges are refused,
/// and IPv6 addresses that carry an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by
/// the IPv4 address inside. Applied to the resolved address at connect time, so how the URL spells
/// the host (a name, decimal, hex or octal) does not matter.
/// </summary>
public static class OutboundAddressPolicy
{
    private static readonly (IPNetwork Network, string Name)[] RefusedV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "this network"),
        (IPNetwork.Parse("10.0.0.0/8"), "a private network"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared address space (CGNAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (incl. the metadata service)"),
        (IPNetwork.Parse("172.16.0.0/12"), "a private network"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.0.2.0/24"), "documentation"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay anycast"),
        (IPNetwork.Parse("192.168.0.0/16"), "a private network"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("198.51.100.0/24"), "documentation"),
        (IPNetwork.Parse("203.0.113.0/24"), "documentation"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (incl. broadcast)"),
    ];

    private static readonly (IPNetwork Network, string Name)[] RefusedV6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("100::/64"), "discard"),
        (IPNetwork.Parse("2001::/32"), "Teredo"),
        (IPNetwork.Parse("2001:db8::/32"), "documentation"),
        (IPNetwork.Parse("fc00::/7"), "unique local (private)"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork V4Compatible = IPNetwork.Parse("::/96");

    public static bool IsAllowed(IPAddress address) => RefusalOf(address) is null;

    /// <summary>Why a connection to the address is refused (the range it is in), or null when it is allowed.</summary>
    public static string? RefusalOf(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            return RefusalOf(address.MapToIPv4());
        }

        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            var bytes = address.GetAddressBytes();
            if (Nat64.Contains(address) || (V4Compatible.Contains(address) && !IPAddress.IPv6Any.Equals(address) && !IPAddress.IPv6Loopback.Equals(address)))
            {
                return RefusalOf(new IPAddress(bytes[12..16]));
            }

            if (SixToFour.Contains(address))
            {
                return RefusalOf(new IPAddress(bytes[2..6]));
            }

            return Find(RefusedV6, address);
        }

        return Find(RefusedV4, address);
    }

    private static string? Find((IPNetwork Network, string Name)[] ranges, IPAddress address) =>
        ranges.Where(r => r.Network.Contains(address)).Select(r => $"{r.Name} ({r.Network})").FirstOrDefault();
}
