using System.Collections.Concurrent;
using System.Diagnostics;
using EventTypeFilter = MaintenancePortal.Domain.Webhooks.EventTypeFilter;
using System.Globalization;
using System.Net.Http.Headers;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Server.Extensions;
using MaintenancePortal.Web.Services;
using MaintenancePortal.Webhooks;
using MaintenancePortal.Webhooks.Endpoints;
using MaintenancePortal.Webhooks.Subscriptions;
using MaintenancePortal.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Webhook benchmark: lifecycle events published on the bus, through the dispatch consumer and the
// endpoint grains, signed and POSTed to a receiver on 127.0.0.1, against raw HttpClient POSTs of
// the same bodies to the same receiver with the same concurrency. Everything in this one process
// (the embedded profile's parts; with --durable, Azurite and RabbitMQ from the environment).
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks.Webhooks [-- --events N --rate N --durable]
var events = Option("--events", 20_000);
var rate = Option("--rate", 1_000);
var durable = args.Contains("--durable");
const int Tenants = 4;

var receiver = await Receiver.StartAsync();
var builder = WebApplication.CreateBuilder(["--urls", "http://127.0.0.1:0"]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<PortalUpdates>();
builder.Services.AddSingleton(new PortalProfile(durable ? "Durable" : "Embedded", Ephemeral: !durable));
DurableSettings? settings = null;
if (durable)
{
    builder.Configuration[DurableSettings.StorageConnectionSetting] ??= Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_STORAGE");
    builder.Configuration[DurableSettings.RabbitMqSetting] ??= Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_RABBITMQ");
    builder.Configuration["Orleans:ServiceId"] = builder.Configuration["Orleans:ClusterId"] = $"bench-webhooks-{Guid.NewGuid():N}"[..28];
    builder.Configuration[$"{WebhookOptions.SectionName}:AllowInsecureUrls"] = "true";
    settings = DurableSettings.Read(builder.Configuration);
    await settings.EnsureReachableAsync(TimeSpan.Zero);
    builder.Services.AddSingleton(settings);
}

builder.AddMessaging(settings);
builder.AddWebhooks(durable: settings is not null);
builder.AddOrleansSilo(settings);
await using var app = builder.Build();
await app.StartAsync();
var grains = app.Services.GetRequiredService<IGrainFactory>();
var publisher = app.Services.GetRequiredService<ILifecycleEventPublisher>();
var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebhookOptions>>().Value;

// One endpoint per tenant, through the registration check, as a tenant makes it.
var tenants = Enumerable.Range(1, Tenants).Select(i => $"bench-{i}").ToArray();
foreach (var tenant in tenants)
{
    var id = WebhookEndpoint.NewId();
    var endpoint = grains.GetGrain<IWebhookEndpointGrain>(WebhookEndpointKey.Of(tenant, id));
    await endpoint.CreateAsync(EndpointSettings.Create(receiver.Url, "benchmark", EventTypeFilter.All, null));
    await grains.GetGrain<IWebhookSubscriptionsGrain>(tenant).AddAsync(id);
    if ((await endpoint.CheckAsync()).Endpoint.Status != EndpointStatus.Enabled)
    {
        throw new InvalidOperationException("The receiver did not pass the registration check.");
    }
}

var concurrency = Tenants * options.MaxInFlightPerEndpoint;
Console.WriteLine($"# Webhook benchmark ({(durable ? "durable: Azurite and RabbitMQ" : "embedded: memory storage, in-memory bus")})");
Console.WriteLine();
Console.WriteLine($"{events:N0} events per run over {Tenants} tenants with one endpoint each; the receiver answers 204 on 127.0.0.1.");
Console.WriteLine($"Raw: HttpClient POSTs of the same bodies with {concurrency} in flight (the service's {options.MaxInFlightPerEndpoint} per endpoint × {Tenants}).");
Console.WriteLine();
Console.WriteLine("| Run | Deliveries/s | p50 | p99 | max | Server CPU |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
await Warm(Math.Min(2_000, events));
Report("Service, as fast as published", await ServiceRun(events, rate: null));
Report("Raw HttpClient, as fast as possible", await RawRun(events, rate: null));
Report($"Service, {rate:N0} events/s", await ServiceRun(events, rate));
Report($"Raw HttpClient, {rate:N0} requests/s", await RawRun(events, rate));

await app.StopAsync();
await receiver.DisposeAsync();
return 0;

async Task Warm(int count)
{
    await ServiceRun(count, rate: null);
    await RawRun(count, rate: null);
}

// Publishes the events (paced at rate per second, or as fast as the publisher takes them) and waits for every acknowledgement.
async Task<Result> ServiceRun(int count, int? rate)
{
    var sent = new ConcurrentDictionary<string, long>();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    receiver.Expect(count);
    await Paced(count, rate, async i =>
    {
        var @event = new HostDrained(Guid.NewGuid(), DateTimeOffset.UtcNow, tenants[i % Tenants], $"mnt-bench-{i}", $"h-bench-{i % 40}", 3);
        sent[WebhookMessage.IdPrefix + @event.EventId.ToString("N")] = Stopwatch.GetTimestamp();
        await publisher.PublishAsync(@event);
    });
    var acks = await receiver.WaitAsync(TimeSpan.FromMinutes(5));
    watch.Stop();
    return Result.Of(count, watch.Elapsed, acks.Select(a => Stopwatch.GetElapsedTime(sent[a.Id], a.At)), Process.GetCurrentProcess().TotalProcessorTime - cpu);
}

async Task<Result> RawRun(int count, int? rate)
{
    using var http = new HttpClient(GuardedHttpHandler.Create(allowLoopback: true)) { Timeout = options.Timeout };
    var sent = new ConcurrentDictionary<string, long>();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    receiver.Expect(count);
    using var slots = new SemaphoreSlim(concurrency);
    var posts = new List<Task>(count);
    await Paced(count, rate, async i =>
    {
        var @event = new HostDrained(Guid.NewGuid(), DateTimeOffset.UtcNow, tenants[i % Tenants], $"mnt-bench-{i}", $"h-bench-{i % 40}", 3);
        var message = WebhookPayload.MessageOf(@event, DateTimeOffset.UtcNow);
        sent[message.MessageId] = Stopwatch.GetTimestamp();
        await slots.WaitAsync();
        lock (posts)
        {
            posts.Add(PostAsync(message));
        }
    });

    async Task PostAsync(WebhookMessage message)
    {
        try
        {
            using var content = new StringContent(message.Body);
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(WebhookPayload.ContentType);
            using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = content };
            request.Headers.Add("webhook-id", message.MessageId);
            using var response = await http.SendAsync(request);
        }
        finally
        {
            slots.Release();
        }
    }

    await Task.WhenAll(posts);
    var acks = await receiver.WaitAsync(TimeSpan.FromMinutes(5));
    watch.Stop();
    return Result.Of(count, watch.Elapsed, acks.Select(a => Stopwatch.GetElapsedTime(sent[a.Id], a.At)), Process.GetCurrentProcess().TotalProcessorTime - cpu);
}

static async Task Paced(int count, int? rate, Func<int, Task> send)
{
    if (rate is not { } perSecond)
    {
        // As fast as it is taken, a few at a time.
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) => await send(i));
        return;
    }

    // In ticks of 10 ms, the events due by each tick.
    var start = Stopwatch.GetTimestamp();
    using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
    var next = 0;
    while (next < count)
    {
        var due = Math.Min(count, (int)(Stopwatch.GetElapsedTime(start).TotalSeconds * perSecond) + 1);
        var batch = Enumerable.Range(next, due - next).Select(send).ToList();
        next = due;
        await Task.WhenAll(batch);
        await timer.WaitForNextTickAsync();
    }
}

static void Report(string run, Result result) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| {run} | {result.PerSecond:N0} | {result.P50.TotalMilliseconds:0.0} ms | {result.P99.TotalMilliseconds:0.0} ms | {result.Max.TotalMilliseconds:0} ms | {result.Cpu.TotalSeconds / result.Elapsed.TotalSeconds:0.00} cores |"));

int Option(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).FirstOrDefault(fallback);

internal sealed record Result(double PerSecond, TimeSpan P50, TimeSpan P99, TimeSpan Max, TimeSpan Elapsed, TimeSpan Cpu)
{
    public static Result Of(int count, TimeSpan elapsed, IEnumerable<TimeSpan> latencies, TimeSpan cpu)
    {
        var sorted = latencies.Order().ToList();
        TimeSpan At(double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
        return new Result(count / elapsed.TotalSeconds, At(0.50), At(0.99), sorted[^1], elapsed, cpu);
    }
}

/// <summary>The receiver: Kestrel on 127.0.0.1, answering 204 and noting when each message id first arrived.</summary>
internal sealed class Receiver : IAsyncDisposable
{
    private LoopbackServer _server = null!;
    private ConcurrentDictionary<string, long> _acks = new();
    private int _expected;
    private int _count; // ConcurrentDictionary.Count takes every lock: counted on the side
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Uri Url => _server.Url;

    public static async Task<Receiver> StartAsync()
    {
        var receiver = new Receiver();
        receiver._server = await LoopbackServer.StartAsync("/hook", receiver.ReceiveAsync);
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
        var id = context.Request.Headers["webhook-id"].ToString();
        if (_acks.TryAdd(id, Stopwatch.GetTimestamp()) && Interlocked.Increment(ref _count) >= _expected)
        {
            _done.TrySetResult();
        }

        return Results.NoContent();
    }

    /// <summary>Starts a run: forgets what came before (the registration check's test event, earlier runs).</summary>
    public void Expect(int count)
    {
        _acks = new ConcurrentDictionary<string, long>();
        _count = 0;
        _expected = count;
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<IReadOnlyList<(string Id, long At)>> WaitAsync(TimeSpan timeout)
    {
        await _done.Task.WaitAsync(timeout);
        return [.. _acks.Select(a => (a.Key, a.Value))];
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
