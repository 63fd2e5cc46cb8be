using System.Net;
using System.Net.Sockets;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// The addresses this server listens on, checked before anything starts: a port another process
/// holds stops it at once (exit 2), naming the setting that moves it. Orleans listens with its
/// ports shared, so a second server would otherwise listen beside the first without an error; and
/// a web port in use would end the start-up with a stack trace.
/// </summary>
public static class ListenAddresses
{
    public const string UrlsSetting = "Urls";

    /// <summary>Each <c>Urls</c> address with a fixed port (port 0 lets the system choose).</summary>
    public static void EnsureUrlsFree(IConfiguration configuration)
    {
        foreach (var url in (configuration[UrlsSetting] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (BindingAddress.Parse(url) is { Port: > 0 } binding)
            {
                var address = binding.Host switch
                {
                    "localhost" => IPAddress.Loopback,
                    "*" or "+" => IPAddress.Any,
                    var host => IPAddress.TryParse(host.Trim('[', ']'), out var ip) ? ip : IPAddress.Any,
                };
                EnsureFree(address, binding.Port, UrlsSetting, $"{url} is in use (another server on this machine?); give this server another with --urls.");
            }
        }
    }

    /// <summary>The port on 127.0.0.1, taken for a moment.</summary>
    public static void EnsureFree(int port, string setting) =>
        EnsureFree(IPAddress.Loopback, port, setting, $"port {port} on 127.0.0.1 is in use (another server on this machine?); give each server its own port.");

    private static void EnsureFree(IPAddress address, int port, string setting, string refusal)
    {
        var listener = new TcpListener(address, port);
        try
        {
            listener.Start();
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new PortalConfigurationException($"{setting}: {refusal}");
        }
        finally
        {
            listener.Stop();
        }
    }
}
