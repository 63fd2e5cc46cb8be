using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using MaintenancePortal.Contracts;
using MaintenancePortal.Server.Messaging;
using MaintenancePortal.Tests.Shared;
using MassTransit;
using RabbitMQ.Client;

// Throughput of the durable profile on real Azurite and RabbitMQ (the ones ./infra/bench-durable.sh starts):
// 1. lifecycle events published per second by the service's publisher (MassTransit, publisher confirms)
//    against raw RabbitMQ.Client publishing the same events with confirms;
// 2. instance moves per second end to end (REST API, grains, Azure tables, RabbitMQ) with zero-duration
//    simulated migrations, on the real server process.
// Usage: ./infra/bench-durable.sh [--events N] [--hosts-per-tenant N]
var storage = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_STORAGE");
var rabbitMq = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_RABBITMQ");
if (storage is not { Length: > 0 } || rabbitMq is not { Length: > 0 })
{
    Console.Error.WriteLine("Set MAINTENANCEPORTAL_STORAGE and MAINTENANCEPORTAL_RABBITMQ, or run ./infra/bench-durable.sh, which starts both.");
    return 2;
}

var events = Option("--events", 20_000);
var hostsPerTenant = Option("--hosts-per-tenant", 40);
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = timeout.Token;

Console.WriteLine("# Durable profile throughput");
Console.WriteLine();
Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release; "
                  + "Azurite and RabbitMQ on 127.0.0.1 of the same machine.");

await PublishingAsync();
await MovesAsync();
return 0;

async Task PublishingAsync()
{
    Console.WriteLine();
    Console.WriteLine($"## Lifecycle events published with publisher confirms ({events:N0} per run, persistent, into one durable queue; median of 3 runs)");
    Console.WriteLine();
    Console.WriteLine("| Publishers at once | Raw RabbitMQ.Client | The service (MassTransit) | Service / raw |");
    Console.WriteLine("| ---: | ---: | ---: | ---: |");

    var factory = new ConnectionFactory { Uri = new Uri(rabbitMq) };
    await using var connection = await factory.CreateConnectionAsync(ct);
    await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(
        publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), ct);
    const string rawExchange = "bench-raw";
    const string sink = "bench-sink";
    // The exchange MassTransit publishes the event type to, declared as MassTransit declares it.
    var serviceExchange = $"{typeof(InstanceMigrationCompleted).Namespace}:{nameof(InstanceMigrationCompleted)}";
    await channel.ExchangeDeclareAsync(rawExchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
    await channel.ExchangeDeclareAsync(serviceExchange, ExchangeType.Fanout, durable: true, cancellationToken: ct);
    await channel.QueueDeclareAsync(sink, durable: true, exclusive: false, autoDelete: false, cancellationToken: ct);
    await channel.QueueBindAsync(sink, rawExchange, "", cancellationToken: ct);
    await channel.QueueBindAsync(sink, serviceExchange, "", cancellationToken: ct);

    var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(new Uri(rabbitMq), host => host.PublisherConfirmation = true));
    await bus.StartAsync(ct);
    var publisher = new MassTransitLifecycleEventPublisher(bus, TimeProvider.System);
    try
    {
        foreach (var concurrency in new[] { 1, 32 })
        {
            var count = concurrency == 1 ? events / 4 : events;
            async Task Raw()
            {
                var @event = Sample();
                var properties = new BasicProperties
                {
                    Persistent = true, ContentType = "application/json", MessageId = @event.EventId.ToString(), Type = LifecycleEventTypes.Of(@event),
                };
                await channel.BasicPublishAsync(rawExchange, "", mandatory: false, properties, JsonSerializer.SerializeToUtf8Bytes(@event), ct);
            }

            Task Service() => publisher.PublishAsync(Sample(), ct);

            await RunAsync(Raw, 500, concurrency); // warm-up
            await RunAsync(Service, 500, concurrency);
            // Three rounds each, alternating; the median of each counts (two cores are shared with the broker).
            var (raws, services) = (new List<double>(), new List<double>());
            for (var round = 0; round < 3; round++)
            {
                await channel.QueuePurgeAsync(sink, ct);
                raws.Add(await RunAsync(Raw, count, concurrency));
                await channel.QueuePurgeAsync(sink, ct);
                services.Add(await RunAsync(Service, count, concurrency));
            }

            await channel.QueuePurgeAsync(sink, ct);
            var (raw, service) = (raws.Order().ElementAt(1), services.Order().ElementAt(1));
            Console.WriteLine(Invariant($"| {concurrency} | {raw:N0} /s | {service:N0} /s | {100 * service / raw:0} % |"));
        }
    }
    finally
    {
        await bus.StopAsync(CancellationToken.None);
        await channel.QueueDeleteAsync(sink, cancellationToken: CancellationToken.None);
        await channel.ExchangeDeleteAsync(rawExchange, cancellationToken: CancellationToken.None);
    }
}

async Task MovesAsync()
{
    Console.WriteLine();
    Console.WriteLine($"## Instance moves end to end (a fifth of {8 * hostsPerTenant} hosts drained at once; zero-duration migrations)");
    Console.WriteLine();
    Console.WriteLine("The real server process; the REST API starts every maintenance event (8 at a time) and is polled every 250 ms until all are drained.");
    Console.WriteLine("Limits raised so the control plane is what is measured: no notice, 8 out / 8 in per host, no cluster limit, status polled every 100 ms.");
    Console.WriteLine();
    Console.WriteLine("| Profile | Moves | All started after | Drained after | Moves / s | Events on the bus / s | Server CPU | Azurite CPU |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    var durableRate = 0.0;
    foreach (var durable in new[] { false, true })
    {
        durableRate = await MoveRunAsync(durable);
    }

    Console.WriteLine();
    Console.WriteLine(Invariant($"Google's 1,000,000 migrations a month replayed at the durable rate: {1_000_000 / durableRate / 3600:0.0} h."));
}

// One run: returns moves per second.
async Task<double> MoveRunAsync(bool durable)
{
    var settings = new Dictionary<string, string>
    {
        ["DemoFleet__Tenants"] = "8",
        ["DemoFleet__HostsPerTenant"] = hostsPerTenant.ToString(CultureInfo.InvariantCulture),
        ["DemoFleet__SpareHosts"] = hostsPerTenant.ToString(CultureInfo.InvariantCulture),
        ["Hypervisor__Simulated__SpeedUp"] = "1000000000",
        ["Maintenance__LiveMigrationNotice"] = "00:00:00",
        ["Maintenance__StatusPollInterval"] = "00:00:00.100",
        ["Maintenance__MaxOutboundPerHost"] = "8",
        ["Maintenance__MaxInboundPerHost"] = "8",
        ["Maintenance__MaxPerCluster"] = "100000",
        ["Logging__LogLevel__Default"] = "Warning",
    };
    if (durable)
    {
        foreach (var (key, value) in LocalOpenIdProvider.ServerSettings())
        {
            settings[key] = value;
        }

        settings["MaintenancePortal__Profile"] = "Durable";
        settings["ConnectionStrings__Storage"] = storage;
        settings["ConnectionStrings__RabbitMq"] = rabbitMq;
        settings["Orleans__ServiceId"] = $"bench-{Guid.NewGuid():N}"[..20];
        settings["Orleans__ClusterId"] = "bench";
    }

    await using var server = await PortalServer.StartAsync(ct, settings, readyWithin: TimeSpan.FromMinutes(10));
    using var client = new PortalHttpClient(server.BaseAddress);
    await client.SignInAsync("operator", ct);

    // A fifth of every tenant's hosts: the others and the spares have room for their instances.
    var hosts = (await client.GetJsonAsync("api/operator/hosts", ct)).EnumerateArray()
        .Where(h => h.GetProperty("tenantId").GetString() is not null)
        .GroupBy(h => h.GetProperty("tenantId").GetString())
        .SelectMany(g => g.Where((_, i) => i % 5 == 0))
        .Select(h => h.GetProperty("hostId").GetString()!)
        .ToList();

    var received = new ConcurrentDictionary<Guid, bool>();
    IBusControl? consumer = null;
    if (durable)
    {
        consumer = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitMq));
            cfg.ReceiveEndpoint($"bench-subscriber-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<IMaintenanceLifecycleEvent>(context =>
                {
                    received.TryAdd(context.Message.EventId, true);
                    return Task.CompletedTask;
                });
            });
        });
        await consumer.StartAsync(ct);
    }

    try
    {
        var azurite = durable ? ServiceProcess("azurite.pid") : null;
        var (serverCpu, azuriteCpu) = (server.ProcessorTime, azurite?.TotalProcessorTime ?? TimeSpan.Zero);
        var watch = Stopwatch.StartNew();
        var maintenanceIds = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (hostId, token) =>
        {
            var (status, started) = await client.StartMaintenanceAsync(hostId, token);
            if (status != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"Starting maintenance of {hostId} answered {(int)status}: {started}");
            }

            maintenanceIds.Add(started.GetProperty("maintenanceId").GetString()!);
        });
        var started = watch.Elapsed;
        List<JsonElement> events;
        while (true)
        {
            events = (await client.GetJsonAsync("api/operator/maintenance", ct)).EnumerateArray()
                .Where(m => maintenanceIds.Contains(m.GetProperty("maintenanceId").GetString()!)).ToList();
            if (events.All(m => m.GetProperty("state").GetString() == "Drained"))
            {
                break;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Not drained after 5 minutes: {events.Sum(m => m.GetProperty("unplaced").GetArrayLength())} instance(s) "
                                           + $"without room, {events.Count(m => m.GetProperty("state").GetString() != "Drained")} host(s) draining.");
            }

            await Task.Delay(250, ct);
        }

        var elapsed = watch.Elapsed;
        // Moves made: an instance that arrived on a host whose maintenance had begun meanwhile moved twice.
        var moves = events.Sum(m => m.GetProperty("moves").EnumerateObject().Count());
        var (serverShare, azuriteShare) = ((server.ProcessorTime - serverCpu) / elapsed,
            ((azurite?.TotalProcessorTime ?? TimeSpan.Zero) - azuriteCpu) / elapsed);
        var rate = moves / elapsed.TotalSeconds;
        Console.WriteLine(
            Invariant($"| {(durable ? "Durable (Azurite, RabbitMQ)" : "Embedded (memory, in-process bus)")} | {moves:N0} | {started.TotalSeconds:0.0} s ")
            + Invariant($"| {elapsed.TotalSeconds:0.0} s | {rate:N0} | ")
            + (durable ? Invariant($"{received.Count / elapsed.TotalSeconds:N0}") : "in process")
            + Invariant($" | {serverShare:0.00} cores | ")
            + (azurite is null ? "–" : Invariant($"{azuriteShare:0.00} cores"))
            + " |");
        return rate;
    }
    finally
    {
        if (consumer is not null)
        {
            await consumer.StopAsync(CancellationToken.None);
        }
    }
}

static InstanceMigrationCompleted Sample() => new(Guid.NewGuid(), DateTimeOffset.UtcNow, "contoso", "mnt-20261125-0a1b2c3d", "mv-0a1b2c3d4e5f",
    "i-0a1b2c3d4e5f60718", "10.20.3.41", "h-contoso-03", "h-contoso-07", 17.3, TimeSpan.FromSeconds(41.2), 6, 34_359_738_368, "PreCopy", 0);

// Runs count calls, concurrency at a time; calls per second.
static async Task<double> RunAsync(Func<Task> call, int count, int concurrency)
{
    var next = 0;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (Interlocked.Increment(ref next) <= count)
        {
            await call();
        }
    }));
    return count / watch.Elapsed.TotalSeconds;
}

static Process? ServiceProcess(string pidFile)
{
    var directory = Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_SERVICES_DIR");
    var path = directory is null ? null : Path.Combine(directory, pidFile);
    return path is not null && File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), out var pid)
        ? Process.GetProcessById(pid)
        : null;
}

int Option(string name, int fallback) =>
    args.SkipWhile(a => a != name).Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
