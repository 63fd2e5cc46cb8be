using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>What the durable profile keeps when a silo or the broker dies mid-wave (real Azurite and RabbitMQ).</summary>
public sealed class FailoverTests(DurableServices services) : IClassFixture<DurableServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task When_a_silo_is_killed_mid_wave_the_other_finishes_every_move_and_no_event_is_lost()
    {
        await using var consumer = await LifecycleEventConsumer.StartAsync(services.RabbitMq, Ct);
        var wave = new Wave(["h-contoso-03", "h-fabrikam-04", "h-northwind-05", "h-tailspin-06"], consumer);
        var serviceId = $"it-failover-{Guid.NewGuid():N}"[..24];
        // The silo that dies is the first: it seeded the fleet, so it holds most grains.
        await using var victim = await PortalServer.StartAsync(Ct, services.ServerSettings(serviceId));
        await using var survivor = await PortalServer.StartAsync(Ct, services.ServerSettings(serviceId));
        using var survivorClient = new PortalHttpClient(survivor.BaseAddress);
        using var victimClient = new PortalHttpClient(victim.BaseAddress);
        await survivorClient.SignInAsync("operator", Ct);
        await victimClient.SignInAsync("operator", Ct);

        // Half the wave is started through each silo, so both hold maintenance grains.
        await wave.StartAsync(survivorClient, victimClient);

        // Mid-wave: a few instances have moved and most have not. Then the silo dies, with no clean shutdown.
        await Eventually.HoldsAsync(() => Task.FromResult(wave.Completions.Count >= 3), TimeSpan.FromSeconds(90),
            () => $"{wave.Events.Count} events:\n{victim.Output}\n---- the other silo:\n{survivor.Output}");
        Assert.True(wave.Completions.Count < wave.Instances / 2, "The wave was nearly over before the silo could be killed.");
        await victim.KillAsync();

        await wave.DrainedAsync(survivorClient, TimeSpan.FromMinutes(4), () => survivor.Output[^Math.Min(6000, survivor.Output.Length)..]);
        await wave.AssertEverythingMovedAndAnnouncedAsync(survivorClient);
    }

    [Fact]
    public async Task When_the_broker_is_down_for_a_while_mid_wave_the_moves_go_on_and_no_event_is_lost()
    {
        await using var consumer = await LifecycleEventConsumer.StartAsync(services.RabbitMq, Ct);
        var wave = new Wave(["h-contoso-04", "h-northwind-06"], consumer);
        await using var server = await PortalServer.StartAsync(Ct, services.ServerSettings($"it-broker-{Guid.NewGuid():N}"[..24]));
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        await wave.StartAsync(operatorClient);
        await Eventually.HoldsAsync(() => Task.FromResult(wave.Completions.Count >= 2), TimeSpan.FromSeconds(90));
        Assert.True(wave.Completions.Count < wave.Instances / 2, "The wave was nearly over before the broker could be stopped.");

        var completedBefore = await CompletedMovesAsync(operatorClient);
        await services.SetBrokerRunningAsync(false);
        try
        {
            // Without the broker the instances keep moving; their events wait in the grains' outboxes.
            await Eventually.HoldsAsync(async () => await CompletedMovesAsync(operatorClient) > completedBefore, TimeSpan.FromSeconds(60),
                () => "No move completed while the broker was down.");
        }
        finally
        {
            await services.SetBrokerRunningAsync(true);
        }

        await wave.DrainedAsync(operatorClient, TimeSpan.FromMinutes(3), () => server.Output[^Math.Min(6000, server.Output.Length)..]);
        await wave.AssertEverythingMovedAndAnnouncedAsync(operatorClient);
    }

    private static async Task<int> CompletedMovesAsync(PortalHttpClient operatorClient) =>
        (await operatorClient.GetJsonAsync("api/operator/maintenance", Ct)).EnumerateArray()
        .Sum(m => m.GetProperty("moves").EnumerateObject().Count(move => move.Value.GetProperty("state").GetString() == "Completed"));
}
