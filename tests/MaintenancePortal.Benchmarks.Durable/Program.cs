using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
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
    var settings = new Dictionary<string, string>
    {
        ["MaintenancePortal__Profile"] = "Durable",
        ["ConnectionStrings__Storage"] = storage,
        ["ConnectionStrings__RabbitMq"] = rabbitMq,
        ["Orleans__ServiceId"] = $"bench-{Guid.NewGuid():N}"[..20],
        ["Orleans__ClusterId"] = "bench",
        ["DemoFleet__Tenants"] = "8",
        ["DemoFleet__HostsPerTenant"] = hostsPerTenant.ToString(CultureInfo.InvariantCulture),
        ["DemoFleet__SpareHosts"] = hostsPerTenant.ToString(CultureInfo.InvariantCulture),
        // Zero-duration migrations, no notice, and limits that leave the control plane as the bottleneck.
        ["Hypervisor__Simulated__SpeedUp"] = "1000000000",
        ["Maintenance__LiveMigrationNotice"] = "00:00:00",
        ["Maintenance__StatusPollInterval"] = "00:00:00.100",
        ["Maintenance__MaxOutboundPerHost"] = "8",
        ["Maintenance__MaxInboundPerHost"] = "8",
        ["Maintenance__MaxPerCluster"] = "100000",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    var seeding = Stopwatch.StartNew();
    await using var server = await PortalServer.StartAsync(ct, settings, readyWithin: TimeSpan.FromMinutes(10));
    seeding.Stop();
    using var client = new PortalHttpClient(server.BaseAddress);
    await client.SignInAsync("operator", ct);

    // A fifth of every tenant's hosts: the others and the spares have room for their instances.
    var hosts = (await client.GetJsonAsync("api/operator/hosts", ct)).EnumerateArray()
        .Where(h => h.GetProperty("spec").GetProperty("tenantId").GetString() is not null)
        .GroupBy(h => h.GetProperty("spec").GetProperty("tenantId").GetString())
        .SelectMany(g => g.Where((_, i) => i % 5 == 0))
        .Select(h => (Id: h.GetProperty("hostId").GetString()!, Instances: h.GetProperty("placed").EnumerateObject().Count()))
        .ToList();
    var moves = hosts.Sum(h => h.Instances);

    var received = new ConcurrentDictionary<Guid, IMaintenanceLifecycleEvent>();
    var consumer = Bus.Factory.CreateUsingRabbitMq(cfg =>
    {
        cfg.Host(new Uri(rabbitMq));
        cfg.ReceiveEndpoint($"bench-subscriber-{Guid.NewGuid():N}", endpoint =>
        {
            endpoint.AutoDelete = true;
            endpoint.Handler<InstanceMigrationScheduled>(context =>
            {
                received.TryAdd(context.Message.EventId, context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<InstanceMigrationStarted>(context =>
            {
                received.TryAdd(context.Message.EventId, context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<InstanceMigrationCompleted>(context =>
            {
                received.TryAdd(context.Message.EventId, context.Message);
                return Task.CompletedTask;
            });
            endpoint.Handler<IMaintenanceLifecycleEvent>(context =>
            {
                received.TryAdd(context.Message.EventId, context.Message);
                return Task.CompletedTask;
            });
        });
    });
    await consumer.StartAsync(ct);
    try
    {
        var azurite = ServiceProcess("azurite.pid");
        var (serverCpu, azuriteCpu) = (server.ProcessorTime, azurite?.TotalProcessorTime ?? TimeSpan.Zero);
        var watch = Stopwatch.StartNew();
        var maintenanceIds = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(hosts, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (host, token) =>
        {
            var response = await client.PostJsonAsync($"api/operator/hosts/{host.Id}/maintenance", new { reason = "FirmwareUpdate" }, token);
            response.EnsureSuccessStatusCode();
            maintenanceIds.Add(JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(token))
                .GetProperty("maintenanceId").GetString()!);
        });
        var started = watch.Elapsed;
        while (true)
        {
            var all = (await client.GetJsonAsync("api/operator/maintenance", ct)).EnumerateArray()
                .Where(m => maintenanceIds.Contains(m.GetProperty("maintenanceId").GetString()!)).ToList();
            if (all.All(m => m.GetProperty("state").GetString() == "Drained"))
            {
                break;
            }

            if (watch.Elapsed > TimeSpan.FromMinutes(5))
            {
                throw new TimeoutException($"Not drained after 5 minutes: {all.Sum(m => m.GetProperty("unplaced").GetArrayLength())} instance(s) without room, "
                                           + $"{all.Count(m => m.GetProperty("state").GetString() != "Drained")} host(s) draining.");
            }

            await Task.Delay(100, ct);
        }

        var elapsed = watch.Elapsed;
        var eventsSoFar = received.Count;
        var serverShare = (server.ProcessorTime - serverCpu) / elapsed;
        var azuriteShare = ((azurite?.TotalProcessorTime ?? TimeSpan.Zero) - azuriteCpu) / elapsed;

        Console.WriteLine();
        Console.WriteLine($"## Instance moves end to end ({hosts.Count} hosts of {8 * hostsPerTenant} drained at once, {moves:N0} moves)");
        Console.WriteLine();
        Console.WriteLine("| Moves | Drained in | Moves / s | Events on the bus / s | Server CPU | Azurite CPU | Fleet seeded in |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        Console.WriteLine(
            Invariant($"| {moves:N0} | {elapsed.TotalSeconds:0.0} s (all started after {started.TotalSeconds:0.0} s) | {moves / elapsed.TotalSeconds:N0} ")
            + Invariant($"| {eventsSoFar / elapsed.TotalSeconds:N0} | {serverShare:0.00} cores | ")
            + (azurite is null ? "n/a" : Invariant($"{azuriteShare:0.00} cores"))
            + Invariant($" | {seeding.Elapsed.TotalSeconds:0} s |"));
        var got = received.Values.ToList();
        var scheduled = got.OfType<InstanceMigrationScheduled>().GroupBy(e => e.MoveId).ToDictionary(g => g.Key, g => g.Min(e => e.OccurredAt));
        var startedAt = got.OfType<InstanceMigrationStarted>().GroupBy(e => e.MoveId).ToDictionary(g => g.Key, g => g.Min(e => e.OccurredAt));
        var done = got.OfType<InstanceMigrationCompleted>().ToList();
        var waits = done.Where(c => scheduled.ContainsKey(c.MoveId) && startedAt.ContainsKey(c.MoveId))
            .Select(c => ((startedAt[c.MoveId] - scheduled[c.MoveId]).TotalSeconds, (c.OccurredAt - startedAt[c.MoveId]).TotalSeconds)).ToList();
        Console.WriteLine(Invariant($"DIAG {got.Count} events; {done.Count} completed; scheduled->started mean {waits.Average(w => w.Item1):0.00} s, started->completed mean {waits.Average(w => w.Item2):0.00} s"));
        var t0 = done.Min(c => c.OccurredAt);
        Console.WriteLine("DIAG completions by 5 s: " + string.Join(" ", done.GroupBy(c => (int)((c.OccurredAt - t0).TotalSeconds / 5)).OrderBy(g => g.Key).Select(g => $"{g.Key * 5}:{g.Count()}")));
        Console.WriteLine("DIAG scheduled by 5 s: " + string.Join(" ", got.OfType<InstanceMigrationScheduled>().GroupBy(c => (int)((c.OccurredAt - t0).TotalSeconds / 5)).OrderBy(g => g.Key).Select(g => $"{g.Key * 5}:{g.Count()}")));
        Console.WriteLine();
        Console.WriteLine(Invariant($"Google's 1,000,000 migrations a month replayed at this rate: {1_000_000 / (moves / elapsed.TotalSeconds) / 3600:0.0} h."));
    }
    finally
    {
        await consumer.StopAsync(CancellationToken.None);
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
