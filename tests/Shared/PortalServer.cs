using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// The real server, started as its own process on loopback, with a short notice period and fast
/// simulated migrations (embedded profile unless the settings say otherwise). Its output is kept
/// for failure reports. Its HTTP port is the one the server itself took (it is asked for port 0);
/// its silo and gateway ports are picked free, and picked again if another process took one first
/// (the server refuses to start on a port in use). It can be started again on the same address,
/// as a restarted machine would be.
/// </summary>
internal sealed partial class PortalServer : IAsyncDisposable
{
    private const int PortAttempts = 5;
    private static readonly TimeSpan DefaultReadyWithin = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalServer(Process process, IReadOnlyDictionary<string, string> settings)
    {
        _process = process;
        _settings = settings;
    }

    /// <summary>The settings it was started with, the silo and gateway ports chosen for it among them.</summary>
    public IReadOnlyDictionary<string, string> Settings => _settings;

    /// <summary>The address it serves on; known once it is ready.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>CPU time the server has used so far.</summary>
    public TimeSpan ProcessorTime => _process.TotalProcessorTime;

    public bool HasExited => _process.HasExited;

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

    /// <summary>The last part of the output, for a failure report.</summary>
    public string Tail(int characters = 6000) => Output is var output && output.Length > characters ? output[^characters..] : output;

    public static async Task<PortalServer> StartAsync(CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? settings = null, TimeSpan? readyWithin = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var chosen = new Dictionary<string, string>
            {
                ["Orleans__SiloPort"] = LoopbackPort.Free().ToString(),
                ["Orleans__GatewayPort"] = LoopbackPort.Free().ToString(),
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string>())
            {
                chosen[key] = value;
            }

            try
            {
                return await LaunchAsync(chosen, httpPort: 0, readyWithin ?? DefaultReadyWithin, cancellationToken);
            }
            catch (PortTakenException) when (attempt < PortAttempts)
            {
                // Another process took a port between choosing it and the server's start: choose again.
            }
        }
    }

    /// <summary>
    /// Starts the server again, as after a restart of its machine: the same address, silo and
    /// gateway ports, and settings, but for the <paramref name="changes"/> (a null value removes one).
    /// </summary>
    public Task<PortalServer> StartAgainAsync(CancellationToken cancellationToken, TimeSpan? readyWithin = null,
        IReadOnlyDictionary<string, string?>? changes = null)
    {
        if (!_process.HasExited)
        {
            throw new InvalidOperationException("The server still runs; kill or stop it first.");
        }

        var settings = new Dictionary<string, string>(_settings);
        foreach (var (key, value) in changes ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                settings.Remove(key);
            }
            else
            {
                settings[key] = value;
            }
        }

        return LaunchAsync(settings, BaseAddress.Port, readyWithin ?? DefaultReadyWithin, cancellationToken);
    }

    /// <summary>Runs the server until it exits by itself (a start-up that must fail), with its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IReadOnlyDictionary<string, string> settings,
        CancellationToken cancellationToken, int httpPort = 0)
    {
        using var process = Process.Start(StartInfo(httpPort, settings)) ?? throw new InvalidOperationException("The server did not start.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true); // never left running
            throw new TimeoutException("The server did not exit by itself within 60 s.");
        }

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

    /// <summary>Stops the server as a service manager does (SIGTERM), and waits for it to exit; killed if it has not within the time given.</summary>
    public async Task StopAsync(TimeSpan within)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]))
        {
            await kill!.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
            throw new TimeoutException($"The server did not stop within {within.TotalSeconds:0} s of SIGTERM:\n{Tail()}");
        }
    }

    private static async Task<PortalServer> LaunchAsync(IReadOnlyDictionary<string, string> settings, int httpPort, TimeSpan readyWithin,
        CancellationToken cancellationToken)
    {
        var process = Process.Start(StartInfo(httpPort, settings)) ?? throw new InvalidOperationException("The server did not start.");
        var server = new PortalServer(process, settings);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitUntilReadyAsync(readyWithin, cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task WaitUntilReadyAsync(TimeSpan readyWithin, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + readyWithin;
        using var http = new HttpClient();
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                var output = Output;
                throw PortInUse().IsMatch(output)
                    ? new PortTakenException(output)
                    : new InvalidOperationException($"The server exited with {_process.ExitCode}:\n{output}");
            }

            if (_listening.Task.IsCompletedSuccessfully)
            {
                BaseAddress = _listening.Task.Result;
                try
                {
                    // Ready once the portal answers and the fleet is seeded (the development sign-in lists
                    // the tenants; with OpenID Connect, the seeding is done before the server listens).
                    var signIn = await http.GetStringAsync(new Uri(BaseAddress, "/signin"), cancellationToken);
                    if (signIn.Contains("Tenant: ", StringComparison.Ordinal) || signIn.Contains("data-testid=\"picker-off\"", StringComparison.Ordinal))
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new TimeoutException($"The server did not become ready within {readyWithin.TotalSeconds:0} s:\n{Tail()}");
    }

    private static ProcessStartInfo StartInfo(int httpPort, IReadOnlyDictionary<string, string> settings)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0
        var serverProject = Path.Combine(Repository.Root(), "src", "MaintenancePortal.Server");
        var dll = Path.Combine(serverProject, "bin", configuration, "net10.0", "MaintenancePortal.Server.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the server first: {dll} is missing.");
        }

        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{httpPort}"])
        {
            WorkingDirectory = serverProject,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["Maintenance__LiveMigrationNotice"] = "00:00:02",
                ["Hypervisor__Simulated__SpeedUp"] = "40",
                ["DemoFleet__StartMaintenanceOnStartup"] = "0",
            },
        };
        foreach (var (key, value) in settings)
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

        if (!_listening.Task.IsCompleted && Listening().Match(line) is { Success: true } listening)
        {
            _listening.TrySetResult(new Uri(listening.Groups[1].Value));
        }

        lock (_output)
        {
            _output.Append(DateTime.UtcNow.ToString("HH:mm:ss.fff ", System.Globalization.CultureInfo.InvariantCulture)).AppendLine(line);
        }
    }

    /// <summary>A free port on 127.0.0.1 now; another process may take it before it is used, so the start retries.</summary>

    [GeneratedRegex(@"Now listening on: (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    [GeneratedRegex(@"is in use|address already in use", RegexOptions.IgnoreCase)]
    private static partial Regex PortInUse();

    private sealed class PortTakenException(string output) : Exception($"A port was taken by another process:\n{output}");
}
