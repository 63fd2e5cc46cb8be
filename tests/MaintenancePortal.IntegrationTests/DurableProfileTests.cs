using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using MaintenancePortal.Contracts;
using MaintenancePortal.Tests.Shared;
using MassTransit;

namespace MaintenancePortal.IntegrationTests;

/// <summary>The durable profile on real Azurite and RabbitMQ: the server runs as its own process.</summary>
public sealed class DurableProfileTests(DurableServices services) : IClassFixture<DurableServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task EventuallyAsync(Func<Task<bool>> condition, int seconds = 60) =>
        Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(seconds));

    private static async Task<JsonElement> StartMaintenanceAsync(PortalHttpClient operatorClient, string hostId)
    {
        var (status, started) = await operatorClient.StartMaintenanceAsync(hostId, Ct);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return started;
    }

    [Fact]
    public async Task State_and_scheduled_deadlines_survive_a_hard_restart_and_the_work_goes_on()
    {
        var settings = services.ServerSettings($"it-restart-{Guid.NewGuid():N}"[..24]);
        string maintenanceId;
        JsonElement before;
        await using var first = await PortalServer.StartAsync(Ct, settings);
        {
            using var tenant = new PortalHttpClient(first.BaseAddress);
            await tenant.SignInAsync("tenant:contoso", Ct);
            var saved = await tenant.PutJsonAsync("api/tenant/preferences", new { @default = "AskFirst" }, Ct);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);

            using var operatorClient = new PortalHttpClient(first.BaseAddress);
            await operatorClient.SignInAsync("operator", Ct);
            maintenanceId = (await StartMaintenanceAsync(operatorClient, "h-contoso-03")).GetProperty("maintenanceId").GetString()!;
            before = await operatorClient.GetJsonAsync($"api/operator/maintenance/{maintenanceId}", Ct);

            await first.KillAsync(); // no clean shutdown
        }

        // The restarted silo comes back on the same address, as on the same machine: the cluster
        // sees a newer generation there and drops the dead one at once.
        await using var second = await first.StartAgainAsync(Ct);
        Assert.DoesNotContain("Seeded the demo fleet", second.Output);
        using var operatorAgain = new PortalHttpClient(second.BaseAddress);
        await operatorAgain.SignInAsync("operator", Ct);
        var after = await operatorAgain.GetJsonAsync($"api/operator/maintenance/{maintenanceId}", Ct);
        Assert.Equal(before.GetProperty("deadline").GetDateTimeOffset(), after.GetProperty("deadline").GetDateTimeOffset());
        Assert.Equal("Draining", after.GetProperty("state").GetString());
        var movesBefore = before.GetProperty("moves").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetProperty("latestStart").GetDateTimeOffset());
        var movesAfter = after.GetProperty("moves").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetProperty("latestStart").GetDateTimeOffset());
        Assert.NotEmpty(movesBefore);
        Assert.Equal(movesBefore, movesAfter);

        // The tenant approves every move: the restarted silo picks the event up and drains the host.
        using var tenantAgain = new PortalHttpClient(second.BaseAddress);
        await tenantAgain.SignInAsync("tenant:contoso", Ct);
        var moves = (await tenantAgain.GetJsonAsync($"api/tenant/migrations?maintenance={maintenanceId}&limit=500", Ct)).GetProperty("moves")
            .EnumerateArray().Select(m => m.GetProperty("moveId").GetString()!).ToList();
        Assert.Equal(movesBefore.Count, moves.Count);
        foreach (var moveId in moves)
        {
            Assert.Equal(HttpStatusCode.OK, (await tenantAgain.PostJsonAsync($"api/tenant/migrations/{moveId}/approve", new { }, Ct)).StatusCode);
        }

        await EventuallyAsync(async () =>
            (await operatorAgain.GetJsonAsync($"api/operator/maintenance/{maintenanceId}", Ct)).GetProperty("state").GetString() == "Drained", 120);
    }

    [Fact]
    public async Task Every_lifecycle_event_reaches_a_consumer_on_rabbitmq()
    {
        var received = new ConcurrentQueue<IMaintenanceLifecycleEvent>();
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(services.RabbitMq));
            cfg.ReceiveEndpoint($"it-subscriber-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.AutoDelete = true;
                endpoint.Handler<IMaintenanceLifecycleEvent>(context =>
                {
                    received.Enqueue(context.Message);
                    return Task.CompletedTask;
                });
            });
        });
        await bus.StartAsync(Ct);
        try
        {
            await using var server = await PortalServer.StartAsync(Ct, services.ServerSettings($"it-events-{Guid.NewGuid():N}"[..24]));
            using var operatorClient = new PortalHttpClient(server.BaseAddress);
            await operatorClient.SignInAsync("operator", Ct);
            var started = await StartMaintenanceAsync(operatorClient, "h-fabrikam-04");
            var maintenanceId = started.GetProperty("maintenanceId").GetString()!;
            var instances = started.GetProperty("moves").EnumerateObject().Count();

            await EventuallyAsync(() => Task.FromResult(received.Any(e => e.MaintenanceId == maintenanceId && e.Subject == "h-fabrikam-04"
                                                                          && received.Count(x => x.MaintenanceId == maintenanceId) > 3 * instances)), 120);
            var events = received.Where(e => e.MaintenanceId == maintenanceId).ToList();
            Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
            Assert.Equal(instances, events.Where(e => e.Subject != "h-fabrikam-04").Select(e => e.Subject).Distinct().Count());
            Assert.All(events, e => Assert.Equal("fabrikam", e.TenantId));
        }
        finally
        {
            await bus.StopAsync(Ct);
        }
    }

    [Theory]
    [InlineData("ConnectionStrings__RabbitMq", "amqp://guest:guest@127.0.0.1:1/", "ConnectionStrings:RabbitMq")]
    [InlineData("ConnectionStrings__RabbitMq", "not a uri", "ConnectionStrings:RabbitMq")]
    [InlineData("ConnectionStrings__Storage", "", "ConnectionStrings:Storage")]
    [InlineData("Authentication__DevelopmentSignIn", "true", "Authentication:DevelopmentSignIn")]
    [InlineData("Authentication__OpenIdConnect__Authority", "", "Authentication:OpenIdConnect:Authority")]
    [InlineData("Authentication__OpenIdConnect__Authority", "http://login.example.com", "Authentication:OpenIdConnect:Authority")]
    [InlineData("Authentication__OpenIdConnect__ClientId", "", "Authentication:OpenIdConnect:ClientId")]
    [InlineData("ConnectionStrings__Storage", "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;", "ConnectionStrings:Storage")]
    public async Task Bad_or_unreachable_settings_stop_the_server_with_a_message_naming_the_setting(string key, string value, string named)
    {
        var settings = services.ServerSettings("it-bad-settings");
        settings[key] = value;
        settings["MaintenancePortal__WaitForServices"] = "00:00:03"; // an unreachable service is waited for this long, then named

        var (exitCode, output) = await PortalServer.RunToExitAsync(settings, Ct);

        Assert.Equal(2, exitCode);
        Assert.Contains(named, output);
        Assert.DoesNotContain("   at ", output); // no stack trace
    }
}
