using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>The embedded profile beside another server on the same machine.</summary>
public sealed class EmbeddedProfileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_second_server_on_the_ports_of_a_running_one_refuses_to_start_naming_the_setting_and_the_first_opens_no_gateway()
    {
        await using var first = await PortalServer.StartAsync(Ct);
        var siloPort = first.Settings["Orleans__SiloPort"];
        var gatewayPort = int.Parse(first.Settings["Orleans__GatewayPort"], System.Globalization.CultureInfo.InvariantCulture);

        var (exitCode, output) = await PortalServer.RunToExitAsync(new Dictionary<string, string> { ["Orleans__SiloPort"] = siloPort }, Ct);

        Assert.Equal(2, exitCode);
        Assert.Contains($"Orleans:SiloPort: port {siloPort} on 127.0.0.1 is in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output);
        // The embedded silo has no clients outside its process, so nothing listens on its gateway port.
        using var probe = new System.Net.Sockets.TcpClient();
        await Assert.ThrowsAnyAsync<System.Net.Sockets.SocketException>(() => probe.ConnectAsync("127.0.0.1", gatewayPort, Ct).AsTask());
        // Its own silo port, the first one's address: refused too, naming the setting, without a stack trace.
        (exitCode, output) = await PortalServer.RunToExitAsync(new Dictionary<string, string>(), Ct, first.BaseAddress.Port);
        Assert.Equal(2, exitCode);
        Assert.Contains($"Urls: {first.BaseAddress.ToString().TrimEnd('/')} is in use", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output);

        using var client = new PortalHttpClient(first.BaseAddress);
        Assert.True((await client.GetAsync("signin", Ct)).IsSuccessStatusCode); // the first is unharmed
    }
}
