using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.EndToEnd;

/// <summary>
/// The real server, started as its own process on free loopback ports with the embedded profile,
/// a short notice period and fast simulated migrations. Its output is kept for failure reports.
/// </summary>
public sealed class PortalServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<PortalServer> StartAsync(CancellationToken cancellationToken)
    {
        var root = Repository.Root();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var serverProject = Path.Combine(root, "src", "MaintenancePortal.Server");
        var dll = Path.Combine(serverProject, "bin", configuration, "net10.0", "MaintenancePortal.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the server first: {dll} is missing.");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", baseAddress.ToString().TrimEnd('/')])
        {
            WorkingDirectory = serverProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Orleans__SiloPort"] = FreePort().ToString(),
                ["Orleans__GatewayPort"] = FreePort().ToString(),
                ["Maintenance__LiveMigrationNotice"] = "00:00:02",
                ["Hypervisor__Simulated__SpeedUp"] = "40",
                ["DemoFleet__StartMaintenanceOnStartup"] = "0",
            },
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        var server = new PortalServer(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{server.Output}");
            }

            try
            {
                // Ready once the portal answers and the fleet is seeded (the sign-in page lists tenants).
                var signIn = await http.GetStringAsync(new Uri("/signin", UriKind.Relative), cancellationToken);
                if (signIn.Contains("Tenant: ", StringComparison.Ordinal))
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250, cancellationToken);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The server did not become ready:\n{server.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
