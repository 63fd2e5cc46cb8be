using System.Net;
using MaintenancePortal.Tests.Shared;
using Microsoft.AspNetCore.Http;

namespace MaintenancePortal.IntegrationTests;

/// <summary>Webhooks in the durable profile: waiting messages survive a crash of the server; only https URLs unless a setting allows more.</summary>
public sealed class DurableWebhookTests(DurableServices services) : IClassFixture<DurableServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Messages_waiting_for_a_failing_receiver_survive_a_crash_and_are_delivered_after_it_with_the_same_id()
    {
        var settings = services.ServerSettings($"it-webhooks-{Guid.NewGuid():N}"[..24]);
        var insecure = new Dictionary<string, string>(settings) { ["MaintenancePortal__Webhooks__AllowInsecureUrls"] = "true" };
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        var failing = true;
        receiver.Respond = (request, _) => request.Method == "POST" && failing ? Results.StatusCode(503) : Results.NoContent();
        string endpointId;
        string secret;

        await using var first = await PortalServer.StartAsync(Ct, insecure);
        {
            using var tenant = new PortalHttpClient(first.BaseAddress);
            await tenant.SignInAsync("tenant:contoso", Ct);
            failing = false; // the registration check passes
            using var created = await tenant.PostJsonAsync("api/tenant/webhooks",
                new { url = receiver.Url, eventTypes = new[] { "com.maintenanceportal.host.*" } }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            failing = true;
            receiver.Forget();
            var endpoint = await tenant.GetJsonAsync("api/tenant/webhooks", Ct);
            endpointId = endpoint.EnumerateArray().Single().GetProperty("id").GetString()!;
            Assert.Equal("Enabled", endpoint.EnumerateArray().Single().GetProperty("status").GetString());
            secret = (await tenant.GetJsonAsync($"api/tenant/webhooks/{endpointId}/secret", Ct)).GetProperty("secret").GetString()!;

            using var operatorClient = new PortalHttpClient(first.BaseAddress);
            await operatorClient.SignInAsync("operator", Ct);
            var (status, _) = await operatorClient.StartMaintenanceAsync("h-contoso-04", Ct);
            Assert.Equal(HttpStatusCode.Accepted, status);
            // The start was refused (503) at least once: the message waits in storage for its next attempt.
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Posts.Any()), TimeSpan.FromSeconds(60));
            await first.KillAsync();
        }

        var refused = receiver.Posts.Select(p => p.Header("webhook-id")!).ToHashSet();
        Assert.NotEmpty(refused);
        failing = false;
        // Back on the same address, as on the same machine.
        await using var second = await first.StartAgainAsync(Ct);
        await Eventually.HoldsAsync(() => Task.FromResult(refused.All(id => receiver.Posts.Count(p => p.Header("webhook-id") == id) >= 2)),
            TimeSpan.FromSeconds(150), () => $"Not delivered after the crash: {string.Join(", ", refused.Where(id => receiver.Posts.Count(p => p.Header("webhook-id") == id) < 2))}");

        using var tenantAgain = new PortalHttpClient(second.BaseAddress);
        await tenantAgain.SignInAsync("tenant:contoso", Ct);
        Assert.Equal(secret, (await tenantAgain.GetJsonAsync($"api/tenant/webhooks/{endpointId}/secret", Ct)).GetProperty("secret").GetString());
        await second.KillAsync();

        // Without the setting, the durable profile takes https URLs only.
        await using var strict = await second.StartAgainAsync(Ct, changes: new Dictionary<string, string?>
        {
            ["MaintenancePortal__Webhooks__AllowInsecureUrls"] = null,
        });
        using var tenantStrict = new PortalHttpClient(strict.BaseAddress);
        await tenantStrict.SignInAsync("tenant:contoso", Ct);
        using var http = await tenantStrict.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, http.StatusCode);
        Assert.Contains("must be https://", await http.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Single((await tenantStrict.GetJsonAsync("api/tenant/webhooks", Ct)).EnumerateArray());
    }
}
