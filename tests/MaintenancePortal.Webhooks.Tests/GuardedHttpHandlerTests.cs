using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MaintenancePortal.Webhooks.Tests;

/// <summary>
/// The delivery handler against a real listener on 127.0.0.1: internal addresses, however the URL
/// spells them, are refused before any connection is made; redirects are never followed.
/// </summary>
public sealed class GuardedHttpHandlerTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public GuardedHttpHandlerTests() => _listener.Start();

    private int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    [Theory]
    [InlineData("http://127.0.0.1:{0}/hook")]
    [InlineData("http://localhost:{0}/hook")] // a name that resolves to loopback
    [InlineData("http://2130706433:{0}/hook")] // decimal
    [InlineData("http://0x7f000001:{0}/hook")] // hex
    [InlineData("http://0177.0.0.1:{0}/hook")] // octal
    [InlineData("http://[::ffff:127.0.0.1]:{0}/hook")] // IPv4-mapped IPv6
    [InlineData("http://169.254.169.254/latest/meta-data/")] // the metadata service
    [InlineData("http://10.0.0.1/hook")]
    [InlineData("http://[fd00::1]/hook")]
    public async Task Internal_addresses_are_refused_and_never_connected_to(string url)
    {
        using var client = new HttpClient(GuardedHttpHandler.Create());

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            client.PostAsync(new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, url, Port)), new StringContent("{}"), Ct));

        Assert.IsType<OutboundAddressRefusedException>(error.InnerException);
        Assert.False(_listener.Pending(), "The listener was connected to.");
    }

    [Fact]
    public async Task A_redirect_is_returned_as_it_is_and_never_followed()
    {
        var served = ServeOnceAsync("HTTP/1.1 302 Found\r\nLocation: http://169.254.169.254/latest/meta-data/\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        using var client = new HttpClient(GuardedHttpHandler.Create(allowLoopback: true));

        using var response = await client.PostAsync(new Uri($"http://127.0.0.1:{Port}/hook"), new StringContent("{}"), Ct);

        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(1, await served);
    }

    [Fact]
    public async Task Loopback_is_allowed_only_when_asked_for()
    {
        var served = ServeOnceAsync("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        using var client = new HttpClient(GuardedHttpHandler.Create(allowLoopback: true));

        using var response = await client.PostAsync(new Uri($"http://127.0.0.1:{Port}/hook"), new StringContent("{}"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, await served);
    }

    /// <summary>Answers one request with a canned response; the number of requests it read.</summary>
    private async Task<int> ServeOnceAsync(string response)
    {
        using var connection = await _listener.AcceptTcpClientAsync(Ct);
        await using var stream = connection.GetStream();
        var buffer = new byte[8192];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, Ct);
            if (read == 0)
            {
                break;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        await stream.WriteAsync(Encoding.ASCII.GetBytes(response), Ct);
        return request.ToString().StartsWith("POST /hook ", StringComparison.Ordinal) ? 1 : 0;
    }

    public void Dispose() => _listener.Stop();
}
