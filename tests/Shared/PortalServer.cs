using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// The real server, started as its own process on free loopback ports, with a short notice period
/// and fast simulated migrations (embedded profile unless the settings say otherwise). Its output
/// is kept for failure reports.
/// </summary>
internal sealed class PortalServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private PortalServer(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>CPU time the server has used so far.</summary>
    public TimeSpan ProcessorTime => _process.TotalProcessorTime;

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

    public static async Task<PortalServer> StartAsync(CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? settings = null, TimeSpan? readyWithin = null)
    {
        var baseAddress = new Uri($"http://127.0.0.1:{FreePort()}");
        var process = Process.Start(StartInfo(baseAddress, settings)) ?? throw new InvalidOperationException("The server did not start.");
        var server = new PortalServer(process, baseAddress);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = baseAddress };
        var deadline = DateTime.UtcNow + (readyWithin ?? TimeSpan.FromSeconds(90));
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

    /// <summary>Runs the server until it exits by itself (a start-up that must fail), with its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string> settings,
        CancellationToken cancellationToken)
    {
        var start = StartInfo(new Uri($"http://127.0.0.1:{FreePort()}"), settings);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    /// <summary>Kills the process at once, as a crash would: nothing is shut down cleanly.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    private static ProcessStartInfo StartInfo(Uri baseAddress, IReadOnlyDictionary<string, string>? settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var serverProject = Path.Combine(Repository.Root(), "src", "MaintenancePortal.Server");
        var dll = Path.Combine(serverProject, "bin", configuration, "net10.0", "MaintenancePortal.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the server first: {dll} is missing.");
        }

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
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
