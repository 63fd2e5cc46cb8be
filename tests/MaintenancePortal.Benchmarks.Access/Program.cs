using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using MaintenancePortal.Tests.Shared;

// The cost of key authentication: GET /api/tenant/migrations with an API key against the same request
// with the session cookie, on the real server (embedded profile, Release) on loopback. The two kinds
// alternate request by request on one connection each, so both see the same server state and load.
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks.Access [-- --requests N]
var requests = Option("--requests", 5_000);
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = timeout.Token;

Console.WriteLine("# API key against session cookie");
Console.WriteLine();
Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release; "
                  + "server and client on one machine, loopback.");

await using var server = await PortalServer.StartAsync(ct, new Dictionary<string, string>
{
    ["Api__RateLimit__PermitsPerSecond"] = "1000000", ["Api__RateLimit__Burst"] = "1000000",
});
using var cookie = new PortalHttpClient(server.BaseAddress);
await cookie.SignInAsync("tenant:contoso", ct);
using var created = await cookie.PostJsonAsync("api/tenant/keys", new { name = "benchmark", scopes = new[] { "Read" } }, ct);
var text = JsonSerializer.Deserialize<JsonElement>(await created.Content.ReadAsStringAsync(ct)).GetProperty("text").GetString()!;
using var key = new PortalHttpClient(server.BaseAddress, text);
const string Route = "api/tenant/migrations";

// Something to read: the moves of two of contoso's hosts, waiting for its approval (so they do not change meanwhile).
await cookie.PutJsonAsync("api/tenant/preferences", new { @default = "AskFirst" }, ct);
using var operatorClient = new PortalHttpClient(server.BaseAddress);
await operatorClient.SignInAsync("operator", ct);
foreach (var host in new[] { "h-contoso-02", "h-contoso-03" })
{
    var (status, _) = await operatorClient.StartMaintenanceAsync(host, ct);
    if (status != HttpStatusCode.Accepted)
    {
        throw new InvalidOperationException($"Maintenance of {host} answered {(int)status}.");
    }
}

// Warm up both paths (JIT, the grains, connections).
for (var i = 0; i < 500; i++)
{
    await TimeAsync(cookie);
    await TimeAsync(key);
}

var byCookie = new List<double>(requests);
var byKey = new List<double>(requests);
for (var i = 0; i < requests; i++)
{
    // Alternate which goes first, so neither always follows the other.
    if (i % 2 == 0)
    {
        byCookie.Add(await TimeAsync(cookie));
        byKey.Add(await TimeAsync(key));
    }
    else
    {
        byKey.Add(await TimeAsync(key));
        byCookie.Add(await TimeAsync(cookie));
    }
}

Console.WriteLine();
Console.WriteLine($"`GET /{Route}` ({(await cookie.GetJsonAsync(Route, ct)).GetProperty("moves").GetArrayLength()} moves in the answer), {requests} requests each, sequential:");
Console.WriteLine();
Console.WriteLine("| Authentication | p50 | p90 | p99 | max |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
Row("session cookie", byCookie);
Row("API key", byKey);
Console.WriteLine();
Console.WriteLine($"The key adds {Percentile(byKey, 0.50) - Percentile(byCookie, 0.50):0.000} ms at p50 and "
                  + $"{Percentile(byKey, 0.99) - Percentile(byCookie, 0.99):0.000} ms at p99 (target: at most 1 ms at p99).");
return 0;

async Task<double> TimeAsync(PortalHttpClient client)
{
    var started = Stopwatch.GetTimestamp();
    using var response = await client.GetAsync(Route, ct);
    await response.Content.LoadIntoBufferAsync(ct);
    var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"GET /{Route} answered {(int)response.StatusCode}.");
    }

    return elapsed;
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static void Row(string name, List<double> values) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {name} | {Percentile(values, 0.50):0.000} ms | {Percentile(values, 0.90):0.000} ms | {Percentile(values, 0.99):0.000} ms | {values.Max():0.000} ms |"));

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
