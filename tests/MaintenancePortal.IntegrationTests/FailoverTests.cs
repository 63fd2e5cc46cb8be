using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Tests.Shared;
using MassTransit;

namespace MaintenancePortal.IntegrationTests;

/// <summary>Two silos of one cluster on real Azurite and RabbitMQ; one of them is killed mid-wave.</summary>
public sealed class FailoverTests(DurableServices services) : IClassFixture<DurableServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Hosts = ["h-contoso-03", "h-fabrikam-04", "h-northwind-05", "h-tailspin-06"];

    [Fact]
    public async Task When_a_silo_is_killed_mid_wave_the_other_finishes_every_move_and_no_event_is_lost()
    {
        // The seeded fleet, generated independently: every instance's ID and IP before it moves.
        var seeded = DemoFleet.Generate(new DemoFleetOptions()).Instances.Where(p => Hosts.Contains(p.HostId)).ToList();
        var original = seeded.ToDictionary(p => p.Instance.InstanceId, p => p.Instance.PrivateIp);
        await using var consumer = await LifecycleEventConsumer.StartAsync(services.RabbitMq, Ct);

        var serviceId = $"it-failover-{Guid.NewGuid():N}"[..24];
        // The silo that dies is the first: it seeded the fleet, so it holds most grains.
        await using var victim = await PortalServer.StartAsync(Ct, services.ServerSettings(serviceId));
        await using var survivor = await PortalServer.StartAsync(Ct, services.ServerSettings(serviceId));
        using var survivorClient = new PortalHttpClient(survivor.BaseAddress);
        using var victimClient = new PortalHttpClient(victim.BaseAddress);
        await survivorClient.SignInAsync("operator", Ct);
        await victimClient.SignInAsync("operator", Ct);

        // Half the wave is started through each silo, so both hold maintenance grains.
        var maintenanceIds = new List<string>();
        foreach (var (hostId, index) in Hosts.Select((h, i) => (h, i)))
        {
            var response = await (index % 2 == 0 ? survivorClient : victimClient)
                .PostJsonAsync($"api/operator/hosts/{hostId}/maintenance", new { reason = "FirmwareUpdate" }, Ct);
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            maintenanceIds.Add(JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Ct)).GetProperty("maintenanceId").GetString()!);
        }

        // Other tests share the broker: only this wave's events count.
        IReadOnlyList<IMaintenanceLifecycleEvent> Events() => consumer.Events.Values.Where(e => maintenanceIds.Contains(e.MaintenanceId)).ToList();
        Dictionary<string, Completion> Completions() => Events().Select(Completion.Of).OfType<Completion>().ToDictionary(c => c.InstanceId);

        // Mid-wave: a few instances have moved and most have not. Then the silo dies, with no clean shutdown.
        await Eventually.HoldsAsync(() => Task.FromResult(Completions().Count >= 3), TimeSpan.FromSeconds(90),
            () => $"{Events().Count} events:\n{victim.Output}\n---- the other silo:\n{survivor.Output}");
        Assert.True(Completions().Count < original.Count / 2, "The wave was nearly over before the silo could be killed.");
        await victim.KillAsync();

        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in maintenanceIds)
            {
                var response = await survivorClient.GetAsync($"api/operator/maintenance/{id}", Ct);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // The grain is on its way over from the dead silo: the API says so and when to ask again.
                    Assert.NotNull(response.Headers.RetryAfter);
                    return false;
                }

                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                var maintenance = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Ct));
                if (maintenance.GetProperty("state").GetString() != "Drained")
                {
                    return false;
                }
            }

            return true;
        }, TimeSpan.FromMinutes(4), () => survivor.Output[^Math.Min(6000, survivor.Output.Length)..]);

        // Every instance on exactly one host, none on a drained one, and no room left held for a move.
        var hosts = await survivorClient.GetJsonAsync("api/operator/hosts", Ct);
        var holders = hosts.EnumerateArray().SelectMany(h => h.GetProperty("placed").EnumerateObject()
            .Select(p => (Instance: p.Name, Host: h.GetProperty("hostId").GetString()!))).ToList();
        foreach (var instanceId in original.Keys)
        {
            Assert.DoesNotContain(Assert.Single(holders, h => h.Instance == instanceId).Host, Hosts);
        }

        Assert.All(hosts.EnumerateArray(), h => Assert.Empty(h.GetProperty("reserved").EnumerateObject()));

        // Every lifecycle event reached the bus: for each instance the schedule and the completion,
        // at the host that holds it, with its ID and IP, before the deadline; a live move's start;
        // a new schedule after each failed attempt; for each host its start and its drain.
        await Eventually.HoldsAsync(() => Task.FromResult(original.Keys.All(Completions().ContainsKey)
                                                          && Events().OfType<HostDrained>().Count() == Hosts.Length), TimeSpan.FromSeconds(60));
        var events = Events();
        var completions = Completions();
        foreach (var (instanceId, ip) in original)
        {
            var completion = completions[instanceId];
            var deadline = events.OfType<HostMaintenanceStarted>().Single(s => s.MaintenanceId == completion.MaintenanceId).Deadline;
            Assert.Equal(holders.Single(h => h.Instance == instanceId).Host, completion.DestinationHostId);
            Assert.Equal((instanceId, ip), (completion.InstanceId, completion.PrivateIp));
            Assert.True(completion.OccurredAt <= deadline);
            var ofMove = events.Where(e => MoveIdOf(e) == completion.MoveId).ToList();
            Assert.Contains(ofMove, e => e is InstanceMigrationScheduled or InstanceRebootScheduled);
            if (completion.Live)
            {
                Assert.Contains(ofMove, e => e is InstanceMigrationStarted);
            }

            foreach (var failed in ofMove.OfType<InstanceMigrationFailed>())
            {
                Assert.Contains(ofMove, e => e is InstanceMigrationScheduled or InstanceRebootScheduled && e.OccurredAt >= failed.OccurredAt);
            }
        }

        foreach (var hostId in Hosts)
        {
            var instances = seeded.Count(p => p.HostId == hostId);
            Assert.Equal(instances, Assert.Single(events.OfType<HostMaintenanceStarted>(), s => s.HostId == hostId).InstanceCount);
            Assert.Equal(instances, Assert.Single(events.OfType<HostDrained>(), d => d.HostId == hostId).InstancesMoved);
        }
    }

    private static string? MoveIdOf(IMaintenanceLifecycleEvent @event) => @event switch
    {
        InstanceMigrationScheduled e => e.MoveId,
        InstanceRebootScheduled e => e.MoveId,
        InstanceMigrationStarted e => e.MoveId,
        InstanceMigrationProgressed e => e.MoveId,
        InstanceMigrationCompleted e => e.MoveId,
        InstanceRebootCompleted e => e.MoveId,
        InstanceMigrationFailed e => e.MoveId,
        InstanceMoveCancelled e => e.MoveId,
        _ => null,
    };

    /// <summary>A consumer on the bus that keeps each lifecycle event once, by event id.</summary>
    private sealed class LifecycleEventConsumer : IAsyncDisposable
    {
        private readonly IBusControl _bus;

        private LifecycleEventConsumer(IBusControl bus) => _bus = bus;

        public ConcurrentDictionary<Guid, IMaintenanceLifecycleEvent> Events { get; } = new();

        public static async Task<LifecycleEventConsumer> StartAsync(string rabbitMq, CancellationToken cancellationToken)
        {
            LifecycleEventConsumer? consumer = null;
            var subscribed = 0;
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(new Uri(rabbitMq));
                cfg.ReceiveEndpoint($"it-failover-{Guid.NewGuid():N}", endpoint =>
                {
                    endpoint.AutoDelete = true;
                    // One handler per concrete type: a handler of the interface gets a proxy, not the record.
                    void On<T>() where T : class, IMaintenanceLifecycleEvent
                    {
                        subscribed++;
                        endpoint.Handler<T>(context =>
                        {
                            consumer!.Receive(context.Message);
                            return Task.CompletedTask;
                        });
                    }

                    On<HostMaintenanceStarted>();
                    On<InstanceMigrationScheduled>();
                    On<InstanceMigrationStarted>();
                    On<InstanceMigrationProgressed>();
                    On<InstanceMigrationCompleted>();
                    On<InstanceMigrationFailed>();
                    On<InstanceRebootScheduled>();
                    On<InstanceRebootCompleted>();
                    On<HostDrained>();
                    On<HostMaintenanceCompleted>();
                    On<HostMaintenanceCancelled>();
                    On<InstanceMoveCancelled>();
                    On<SlaAtRisk>();
                });
            });
            Assert.Equal(LifecycleEventTypes.All.Count, subscribed);
            consumer = new LifecycleEventConsumer(bus);
            await bus.StartAsync(cancellationToken);
            return consumer;
        }

        private void Receive(IMaintenanceLifecycleEvent @event) => Events.TryAdd(@event.EventId, @event);

        public async ValueTask DisposeAsync() => await _bus.StopAsync();
    }

    private sealed record Completion(string MaintenanceId, string MoveId, string InstanceId, string PrivateIp,
        string DestinationHostId, DateTimeOffset OccurredAt, bool Live)
    {
        public static Completion? Of(IMaintenanceLifecycleEvent @event) => @event switch
        {
            InstanceMigrationCompleted e => new(e.MaintenanceId, e.MoveId, e.InstanceId, e.PrivateIp, e.DestinationHostId, e.OccurredAt, Live: true),
            InstanceRebootCompleted e => new(e.MaintenanceId, e.MoveId, e.InstanceId, e.PrivateIp, e.DestinationHostId, e.OccurredAt, Live: false),
            _ => null,
        };
    }
}
