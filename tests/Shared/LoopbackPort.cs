using System.Net;
using System.Net.Sockets;

namespace MaintenancePortal.Tests.Shared;

/// <summary>A port on 127.0.0.1 that nothing listens on now (the system's choice, released at once).</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
