using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Server.Extensions;
using MaintenancePortal.Tests.Shared;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// The tenant's side at scale: one tenant with 10,000 instances and 100,000 finished moves. Measures
// the migrations API (first page, a filtered page, a search) under 50 concurrent clients, and the
// metadata service's Azure Scheduled Events GET at a fixed 1,000 requests/s, on the real server
// hosted in this process (its HTTP stack, grains and storage), over loopback.
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks.TenantSide [-- --durable] [--instances N] [--moves N] [--seconds N]
// --durable needs MAINTENANCEPORTAL_STORAGE, MAINTENANCEPORTAL_RABBITMQ and MAINTENANCEPORTAL_OIDC_AUTHORITY
// (infra/services.sh, or ./infra/bench-durable.sh --tenant-side, starts them).
var durable = args.Contains("--durable");
var instanceTarget = Option("--instances", 10_000);
var moveCount = Option("--moves", 100_000);
var seconds = Option("--seconds", 20);
const string TenantId = "contoso";
const int Clients = 50;
const int MetadataRate = 1_000;
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
var ct = timeout.Token;

// The demo fleet's generator, sized so the one tenant has at least the instances asked for.
var fleetOptions = new DemoFleetOptions { Tenants = 1, SpareHosts = 0, StartMaintenanceOnStartup = 0 };
for (fleetOptions.HostsPerTenant = Math.Max(1, instanceTarget / 8); DemoFleet.Generate(fleetOptions).Instances.Count < instanceTarget;)
{
    fleetOptions.HostsPerTenant += Math.Max(1, (instanceTarget - DemoFleet.Generate(fleetOptions).Instances.Count) / 6);
}

var settings = new Dictionary<string, string?>
{
    ["Urls"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
    ["Orleans:SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
    ["Orleans:GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
    ["DemoFleet:Tenants"] = "1",
    ["DemoFleet:HostsPerTenant"] = fleetOptions.HostsPerTenant.ToString(CultureInfo.InvariantCulture),
    ["DemoFleet:SpareHosts"] = "0",
    ["DemoFleet:StartMaintenanceOnStartup"] = "0",
    ["Api:RateLimit:PermitsPerSecond"] = "10000000",
    ["Api:RateLimit:Burst"] = "10000000",
    ["Logging:LogLevel:Default"] = "Warning",
};
if (durable)
{
    settings["MaintenancePortal:Profile"] = "Durable";
    settings["ConnectionStrings:Storage"] = Required("MAINTENANCEPORTAL_STORAGE");
    settings["ConnectionStrings:RabbitMq"] = Required("MAINTENANCEPORTAL_RABBITMQ");
    settings["Authentication:OpenIdConnect:Authority"] = Required("MAINTENANCEPORTAL_OIDC_AUTHORITY");
    settings["Authentication:OpenIdConnect:ClientId"] = "maintenance-portal";
    settings["Authentication:OpenIdConnect:ClientSecret"] = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_OIDC_CLIENT_SECRET") ?? "";
    settings["Orleans:ClusterId"] = $"bench-{Environment.ProcessId}";
}

Console.WriteLine($"# The tenant's side at scale ({(durable ? "durable profile: Azurite tables, RabbitMQ" : "embedded profile: in memory")})");
Console.WriteLine();
Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release; "
                  + "the server hosted in the benchmark's process, clients on loopback.");

var seedClock = Stopwatch.StartNew();
var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    ApplicationName = "MaintenancePortal.Server",
    ContentRootPath = Path.Combine(Repository.Root(), "src", "MaintenancePortal.Server"),
    EnvironmentName = "Production",
});
builder.Configuration.AddInMemoryCollection(settings);
await builder.AddMaintenancePortalAsync();
await using var app = builder.Build();
app.UseMaintenancePortal();
await app.StartAsync(ct); // seeds the demo fleet before it returns
var baseAddress = new Uri(app.Urls.First() + "/");
var grains = app.Services.GetRequiredService<IGrainFactory>();
var portal = app.Services.GetRequiredService<ITenantPortal>();
var instanceIds = (await grains.GetGrain<ITenantGrain>(TenantId).GetInstanceIdsAsync()).ToArray();
var views = new List<InstanceView>();
foreach (var chunk in instanceIds.Chunk(500))
{
    views.AddRange((await Task.WhenAll(chunk.Select(id => grains.GetGrain<IInstanceGrain>(id).GetAsync()))).OfType<InstanceView>());
}

Console.WriteLine($"Seeded {views.Count:N0} instances on {fleetOptions.HostsPerTenant:N0} hosts in {seedClock.Elapsed.TotalSeconds:0} s.");

// 100,000 finished moves in the tenant's index, ten per instance, over the last 90 days.
var memoryBefore = Heap();
var now = DateTimeOffset.UtcNow;
var random = new Random(20261129);
var reasons = Enum.GetValues<MaintenanceReason>();
var moves = Enumerable.Range(0, moveCount).Select(i =>
{
    var instance = views[i % views.Count].Spec;
    var scheduled = now.AddMinutes(-random.Next(1, 90 * 24 * 60));
    var state = random.Next(100) switch { < 90 => MoveState.Completed, < 97 => MoveState.Cancelled, _ => MoveState.Failed };
    var live = random.Next(10) > 0;
    return new MoveSummary($"mv-{i:x12}", $"mnt-bench-{i / 40:x8}", TenantId, instance.InstanceId, instance.Name, instance.PrivateIp,
        reasons[random.Next(reasons.Length)], live ? MoveAction.LiveMigration : MoveAction.RebootMove, state, $"h-{TenantId}-{random.Next(1, 99):D2}",
        $"h-{TenantId}-{random.Next(100, 199)}", scheduled, scheduled.AddMinutes(15), scheduled.AddHours(20), scheduled.AddHours(24),
        state == MoveState.Cancelled ? null : scheduled.AddMinutes(15), scheduled.AddMinutes(16), 0, false,
        live ? "Live migration." : "A live migration cannot converge for this workload. Rebooted as soon as the notice allows.", null,
        state == MoveState.Completed ? random.Next(5, 200) : null, 0, 9, TimeSpan.FromMilliseconds(40), TimeSpan.FromMinutes(1));
}).ToList();
var index = grains.GetGrain<ITenantMovesGrain>(TenantId);
seedClock.Restart();
foreach (var batch in moves.Chunk(1_000))
{
    await index.RecordAsync(batch);
}

Console.WriteLine($"Recorded {moves.Count:N0} finished moves in {seedClock.Elapsed.TotalSeconds:0.0} s.");
moves = null;
var memoryAfter = Heap();

// A fresh activation reads every row back from storage: how long the first page waits for it.
await grains.GetGrain<Orleans.Runtime.IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
seedClock.Restart();
var first = await index.QueryAsync(new MoveQuery(), null);
var loadTime = seedClock.Elapsed;
Console.WriteLine($"The moves index activated and answered its first page in {loadTime.TotalMilliseconds:N0} ms ({first.Counts.Total:N0} moves).");

// Some instances with maintenance waiting for approval, so the metadata documents carry events.
await portal.SetPreferencesAsync(TenantId, TenantPreferences.None with { Default = MovePreference.AskFirst });
var console = app.Services.GetRequiredService<IOperatorConsole>();
foreach (var hostId in views.Select(v => v.HostId).Distinct().Take(10))
{
    await console.StartMaintenanceAsync(hostId, MaintenanceReason.FirmwareUpdate, ct);
}

var key = await app.Services.GetRequiredService<IApiKeys>()
    .CreateAsync(ApiKeyOwner.Tenant(TenantId), "benchmark", [ApiKeyScope.Read], null, ct);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(30) })
{
    BaseAddress = baseAddress,
    DefaultRequestHeaders = { { "Authorization", $"Bearer {key.Text}" } },
};
var names = views.Select(v => v.Spec.Name).ToArray();
var queries = new (string Name, Func<Random, string> Path)[]
{
    ("first page", _ => "api/tenant/migrations"),
    ("filtered: cancelled, degraded hardware", _ => "api/tenant/migrations?state=Cancelled&reason=DegradedHardware"),
    ("search: an instance's name", r => $"api/tenant/migrations?q={Uri.EscapeDataString(names[r.Next(names.Length)])}"),
};

Console.WriteLine();
Console.WriteLine($"`GET /api/tenant/migrations` (pages of {MoveQuery.DefaultLimit}) with an API key, {Clients} clients each sending its next request "
                  + $"when the last is answered, {seconds} s per query after 5 s of warm-up:");
Console.WriteLine();
Console.WriteLine("| Query | Requests | Per second | p50 | p95 | p99 | max |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
foreach (var (name, path) in queries)
{
    await ClosedLoopAsync(path, TimeSpan.FromSeconds(5));
    var run = await ClosedLoopAsync(path, TimeSpan.FromSeconds(seconds));
    Row(name, run.Latencies, run.Latencies.Count / run.Elapsed.TotalSeconds);
}

var tokens = new List<string>();
foreach (var chunk in views.Take(1_000).Select(v => v.Spec.InstanceId).Chunk(200))
{
    tokens.AddRange(await Task.WhenAll(chunk.Select(id => portal.GetMetadataTokenAsync(TenantId, id, ct))));
}

Console.WriteLine();
Console.WriteLine($"`GET /imds/{{token}}/metadata/scheduledevents` (Azure Scheduled Events, `Metadata: true`, no ETag) across {tokens.Count:N0} "
                  + $"instances at a fixed {MetadataRate:N0} requests/s for {seconds} s after 5 s of warm-up (latency counted from when each request was due):");
Console.WriteLine();
Console.WriteLine("| Requests | Per second | p50 | p95 | p99 | max |");
Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
await OpenLoopAsync(TimeSpan.FromSeconds(5));
var metadata = await OpenLoopAsync(TimeSpan.FromSeconds(seconds));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {metadata.Latencies.Count:N0} | {metadata.Latencies.Count / metadata.Elapsed.TotalSeconds:N0} | {Percentile(metadata.Latencies, 0.50):0.0} ms | "
    + $"{Percentile(metadata.Latencies, 0.95):0.0} ms | {Percentile(metadata.Latencies, 0.99):0.0} ms | {metadata.Latencies.Max():0.0} ms |"));

Console.WriteLine();
Console.WriteLine($"Memory for the tenant's {moveCount:N0} moves: {(memoryAfter - memoryBefore) / 1024.0 / 1024:N0} MiB of managed heap"
                  + (durable ? " (the index in memory; the rows are in the Azure table)." : " (the index in memory and the embedded store's copy of the rows)."));
Console.WriteLine($"Process working set at the end: {Environment.WorkingSet / 1024.0 / 1024:N0} MiB.");
await app.StopAsync(CancellationToken.None);
return 0;

async Task<(List<double> Latencies, TimeSpan Elapsed)> ClosedLoopAsync(Func<Random, string> path, TimeSpan duration)
{
    var clock = Stopwatch.StartNew();
    var all = await Task.WhenAll(Enumerable.Range(0, Clients).Select(async client =>
    {
        var r = new Random(client);
        var latencies = new List<double>();
        while (clock.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path(r), HttpCompletionOption.ResponseContentRead, ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return latencies;
    }));
    return ([.. all.SelectMany(l => l)], clock.Elapsed);
}

async Task<(List<double> Latencies, TimeSpan Elapsed)> OpenLoopAsync(TimeSpan duration)
{
    var clock = Stopwatch.StartNew();
    var pending = new List<Task<double>>();
    var sent = 0;
    while (clock.Elapsed < duration)
    {
        for (var due = (int)(clock.Elapsed.TotalSeconds * MetadataRate); sent < due; sent++)
        {
            var dueAt = TimeSpan.FromSeconds((double)sent / MetadataRate);
            pending.Add(MetadataGetAsync(tokens[sent % tokens.Count], clock, dueAt));
        }

        await Task.Delay(1, ct);
    }

    var latencies = (await Task.WhenAll(pending)).ToList();
    return (latencies, duration);
}

async Task<double> MetadataGetAsync(string token, Stopwatch clock, TimeSpan dueAt)
{
    using var request = new HttpRequestMessage(HttpMethod.Get, $"imds/{token}/metadata/scheduledevents?api-version=2020-07-01");
    request.Headers.Add("Metadata", "true");
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"The metadata service answered {(int)response.StatusCode}.");
    }

    return (clock.Elapsed - dueAt).TotalMilliseconds;
}

static long Heap()
{
    GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
    GC.WaitForPendingFinalizers();
    return GC.GetTotalMemory(forceFullCollection: true);
}

static void Row(string name, List<double> latencies, double perSecond) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {name} | {latencies.Count:N0} | {perSecond:N0} | {Percentile(latencies, 0.50):0.0} ms | {Percentile(latencies, 0.95):0.0} ms | "
    + $"{Percentile(latencies, 0.99):0.0} ms | {latencies.Max():0.0} ms |"));

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}


static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: start the services with infra/services.sh.");

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
