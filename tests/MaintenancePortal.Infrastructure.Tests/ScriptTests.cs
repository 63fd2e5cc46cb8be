using System.Diagnostics;
using System.Net.Sockets;
using Azure.Data.Tables;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.Infrastructure.Tests;

/// <summary>
/// What the scripts start, they stop, whatever fails on the way: infra/services.sh (Azurite and
/// RabbitMQ), infra/run-durable.sh (silos first, gracefully, then the services) and
/// infra/bench-durable.sh. Each runs on free ports in a folder of its own, beside anything else.
/// </summary>
public sealed class ScriptTests : IDisposable
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"mp-scripts-{Guid.NewGuid():N}");

    [Fact]
    public async Task Services_started_and_stopped_twice_under_set_e_leave_nothing_running()
    {
        var run = await BashAsync($"""
            set -euo pipefail
            source infra/services.sh
            services_start '{_folder}'
            echo "storage=$MAINTENANCEPORTAL_STORAGE"
            services_stop '{_folder}'
            services_stop '{_folder}'
            echo stopped
            """);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("stopped", run.Output, StringComparison.Ordinal);
        await AssertNothingLeftAsync(_folder);
    }

    [Fact]
    public async Task Services_whose_start_failed_are_stopped_all_the_same()
    {
        // Azurite cannot start (its program is missing); RabbitMQ, started beside it, must go too.
        var run = await BashAsync($"""
            set -euo pipefail
            source infra/services.sh
            azurite_bin=/nonexistent/azurite
            if services_start '{_folder}'; then echo "started?"; exit 1; fi
            services_stop '{_folder}'
            services_stop '{_folder}'
            echo stopped
            """);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("azurite did not start", run.Output, StringComparison.Ordinal);
        await AssertNothingLeftAsync(_folder);
    }

    [Fact]
    public async Task Run_durable_stops_its_silos_gracefully_before_the_services_and_then_everything()
    {
        var (http, silo, gateway) = (FreePort(), FreePort(), FreePort());
        using var script = Start("infra/run-durable.sh", new()
        {
            ["RUN_DURABLE_DATA"] = _folder, ["RUN_DURABLE_PORT"] = $"{http}", ["RUN_DURABLE_SILO_PORT"] = $"{silo}",
            ["RUN_DURABLE_GATEWAY_PORT"] = $"{gateway}", ["RUN_DURABLE_BUILD"] = "0",
        }, out var output);
        using var client = new HttpClient();
        await Eventually.HoldsAsync(async () =>
        {
            Assert.False(script.HasExited, output.ToString());
            return await Answers(client, http) && await Answers(client, http + 1);
        }, TimeSpan.FromMinutes(3), () => output.ToString());

        using (var term = Process.Start("kill", ["-TERM", $"{script.Id}"]))
        {
            await term!.WaitForExitAsync(Ct);
        }

        await script.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromMinutes(2), Ct);
        Assert.True(script.ExitCode == 0, output.ToString());
        await AssertNothingLeftAsync(_folder);

        // Each silo left the cluster itself (its row says Dead): it stopped while storage still answered.
        var started = await BashAsync($"source infra/services.sh && services_start '{_folder}' && echo \"$MAINTENANCEPORTAL_STORAGE\"");
        try
        {
            Assert.True(started.ExitCode == 0, started.Output);
            var tables = new TableServiceClient(started.Output.Trim().Split('\n')[^1]);
            var rows = await tables.GetTableClient("OrleansSiloInstances")
                .QueryAsync<TableEntity>(r => r.PartitionKey == "maintenance-portal", cancellationToken: Ct).ToListAsync(Ct);
            var silos = rows.Where(r => r.ContainsKey("Status")).ToList();
            Assert.Equal(2, silos.Count);
            Assert.All(silos, r => Assert.Equal("Dead", r.GetString("Status")));
        }
        finally
        {
            await BashAsync($"source infra/services.sh && services_stop '{_folder}'");
        }
    }

    [Fact]
    public async Task Bench_durable_stops_its_services_and_removes_its_folder_when_the_benchmark_fails()
    {
        var bench = Path.Combine(Repository.Root(), ".bench");
        var run = await BashAsync("./infra/bench-durable.sh --events not-a-number");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("== stopped", run.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(bench), run.Output);
        Assert.DoesNotContain(bench, await ProcessesAsync(), StringComparison.Ordinal);
    }

    private static async Task<bool> Answers(HttpClient client, int port)
    {
        try
        {
            return (await client.GetAsync(new Uri($"http://127.0.0.1:{port}/alive"), Ct)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>No process of the folder runs, and none of the ports the services had answers.</summary>
    private static async Task AssertNothingLeftAsync(string folder)
    {
        Assert.DoesNotContain(folder, await ProcessesAsync(), StringComparison.Ordinal);
        var env = Path.Combine(folder, "services.env");
        if (File.Exists(env))
        {
            foreach (var port in File.ReadAllLines(env).Where(l => l.Contains("_PORT=", StringComparison.Ordinal)).Select(l => int.Parse(l.Split('=')[1])))
            {
                using var probe = new TcpClient();
                var refused = await Record.ExceptionAsync(() => probe.ConnectAsync("127.0.0.1", port, Ct).AsTask());
                Assert.True(refused is SocketException, $"Port {port} of {env} still answers:\n{await ProcessesAsync()}");
            }
        }
    }

    private static async Task<string> ProcessesAsync() => (await Tool.RunAsync("ps", "-eo", "args")).Output;

    private static Task<Tool.Result> BashAsync(string script) => Tool.RunAsync("bash", "-c", script);

    private static Process Start(string script, Dictionary<string, string> environment, out System.Text.StringBuilder output)
    {
        var start = new ProcessStartInfo(Path.Combine(Repository.Root(), script)) { WorkingDirectory = Repository.Root(), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start)!;
        var text = output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (text) { text.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
