using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MaintenancePortal.Contracts;
using MaintenancePortal.Tests.Shared;
using MassTransit;

namespace MaintenancePortal.IntegrationTests;

/// <summary>Two silos of one cluster on real Azurite and RabbitMQ; one of them is killed mid-wave.</summary>
public sealed class FailoverTests(DurableServices services) : IClassFixture<DurableServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task When_a_silo_is_killed_mid_wave_the_other_finishes_every_move_and_no_event_is_lost()
    {
        var serviceId = $"it-failover-{Guid.NewGuid():N}"[..24];
        var completions = new ConcurrentDictionary<string, string>(); // instance → destination host
        var received = new ConcurrentDictionary<Guid, IMaintenanceLifecycleEvent>();
        var queue = $"it-failover-{Guid.NewGuid():N}";
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(services.RabbitMq));
            cfg.ReceiveEndpoint(queue, endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<IMaintenanceLifecycleEvent>(context =>
                {
                    received.TryAdd(context.Message.EventId, context.Message);
                    if (context.TryGetMessage<InstanceMigrationCompleted>(out var live))
                    {
                        completions[live.Message.InstanceId] = live.Message.DestinationHostId;
                    }
                    else if (context.TryGetMessage<InstanceRebootCompleted>(out var reboot))
                    {
                        completions[reboot.Message.InstanceId] = reboot.Message.DestinationHostId;
                    }

                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(Ct);
        try
        {
            await using var survivor = await PortalServer.StartAsync(Ct, services.ServerSettings(serviceId));
            await using var victim = await PortalServer.StartAsync(Ct, services.ServerSettings(serviceId));
            using var operatorClient = new PortalHttpClient(survivor.BaseAddress);
            await operatorClient.SignInAsync("operator", Ct);

            string[] hosts = ["h-contoso-03", "h-fabrikam-04", "h-northwind-05", "h-tailspin-06"];
            var maintenanceIds = new List<string>();
            var instances = new Dictionary<string, string>(); // instance → ip
            var before = await operatorClient.GetJsonAsync("api/operator/hosts", Ct);
            foreach (var hostId in hosts)
            {
                var response = await operatorClient.PostJsonAsync($"api/operator/hosts/{hostId}/maintenance", new { reason = "FirmwareUpdate" }, Ct);
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                maintenanceIds.Add(JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Ct)).GetProperty("maintenanceId").GetString()!);
                foreach (var placed in before.EnumerateArray().Single(h => h.GetProperty("hostId").GetString() == hostId).GetProperty("placed").EnumerateObject())
                {
                    instances[placed.Name] = "";
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(3), Ct);
            await victim.KillAsync(); // mid-wave, no clean shutdown

            for (var deadline = DateTime.UtcNow.AddMinutes(4); ; await Task.Delay(1000, Ct))
            {
                var states = new List<string>();
                foreach (var id in maintenanceIds)
                {
                    try
                    {
                        states.Add((await operatorClient.GetJsonAsync($"api/operator/maintenance/{id}", Ct)).GetProperty("state").GetString()!);
                    }
                    catch (HttpRequestException)
                    {
                        states.Add("unreachable"); // a grain still on its way over from the dead silo
                    }
                }

                if (states.All(s => s == "Drained"))
                {
                    break;
                }

                Assert.True(DateTime.UtcNow < deadline, $"Not drained: {string.Join(", ", states)}\n{survivor.Output[^Math.Min(4000, survivor.Output.Length)..]}");
            }

            // Every instance is on exactly one host, none on a drained one.
            var after = await operatorClient.GetJsonAsync("api/operator/hosts", Ct);
            var holders = after.EnumerateArray().SelectMany(h => h.GetProperty("placed").EnumerateObject()
                .Select(p => (Instance: p.Name, Host: h.GetProperty("hostId").GetString()!))).ToList();
            foreach (var instance in instances.Keys)
            {
                var held = Assert.Single(holders, h => h.Instance == instance);
                Assert.DoesNotContain(held.Host, hosts);
            }

            // Every move's completion reached the bus, naming the host that holds the instance.
            for (var wait = 0; wait < 60 && !instances.Keys.All(completions.ContainsKey); wait++)
            {
                await Task.Delay(500, Ct);
            }

            Assert.All(instances.Keys, i => Assert.Equal(holders.Single(h => h.Instance == i).Host, completions[i]));
            Assert.All(maintenanceIds, id => Assert.Contains(received.Values, e => e is { Subject: var s } && e.MaintenanceId == id && hosts.Contains(s)));
        }
        finally
        {
            await bus.StopAsync(Ct);
        }
    }
}
