using System.Net;
using System.Net.Sockets;
using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Webhooks;

/// <summary>
/// The HTTP handler webhook deliveries go through. It resolves the host itself when connecting,
/// checks every address against <see cref="OutboundAddressPolicy"/>, and connects only to an
/// allowed one — the address it checked, so a name that resolves differently a moment later
/// (DNS rebinding) gains nothing. Redirects are never followed and no cookies are kept.
/// </summary>
public static class GuardedHttpHandler
{
    /// <param name="allowLoopback">Also allow loopback addresses: local development and tests only.</param>
    public static SocketsHttpHandler Create(bool allowLoopback = false) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowLoopback, cancellationToken),
    };

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowLoopback, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        var allowed = addresses.FirstOrDefault(a => OutboundAddressPolicy.IsAllowed(a) || (allowLoopback && IPAddress.IsLoopback(a)))
                      ?? throw new OutboundAddressRefusedException(endpoint.Host,
                          addresses.Select(OutboundAddressPolicy.RefusalOf).FirstOrDefault(r => r is not null) ?? "not an address");

        var socket = new Socket(allowed.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
