using System.Net;
using System.Text.Json;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>Keys and the audit trail in the durable profile: two silos, real Azurite, people signed in through the real OpenID provider.</summary>
public sealed class DurableAccessTests(DurableServices services) : IClassFixture<DurableServices>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_revoked_on_one_silo_is_refused_by_the_other_and_after_a_restart_and_the_audit_trail_survives_kill_9()
    {
        var settings = services.ServerSettings($"it-access-{Guid.NewGuid():N}"[..24]);
        await using var first = await PortalServer.StartAsync(Ct, settings);
        await using var second = await PortalServer.StartAsync(Ct, settings);
        using var contosoOnFirst = new PortalHttpClient(first.BaseAddress);
        await contosoOnFirst.SignInAsync("tenant:contoso", Ct);

        var keys = new List<(string Id, string Text)>();
        foreach (var name in new[] { "revoked", "kept" })
        {
            using var created = await contosoOnFirst.PostJsonAsync("api/tenant/keys", new { name, scopes = new[] { "Read" } }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var key = JsonSerializer.Deserialize<JsonElement>(await created.Content.ReadAsStringAsync(Ct));
            keys.Add((key.GetProperty("key").GetProperty("id").GetString()!, key.GetProperty("text").GetString()!));
        }

        // Both keys work on the other silo; revoked on the first, the key is refused by the second from the next request on.
        using var revokedOnSecond = new PortalHttpClient(second.BaseAddress, keys[0].Text);
        using var keptOnSecond = new PortalHttpClient(second.BaseAddress, keys[1].Text);
        Assert.Equal(HttpStatusCode.OK, (await revokedOnSecond.GetAsync("api/tenant/migrations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await contosoOnFirst.SendAsync(HttpMethod.Delete, $"api/tenant/keys/{keys[0].Id}", null, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedOnSecond.GetAsync("api/tenant/migrations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await keptOnSecond.GetAsync("api/tenant/migrations", Ct)).StatusCode);

        // Both silos die at once, with no clean shutdown; the cluster comes back on its stored state.
        await first.KillAsync();
        await second.KillAsync();
        await using var restarted = await first.StartAgainAsync(Ct);
        using var revokedAfter = new PortalHttpClient(restarted.BaseAddress, keys[0].Text);
        using var keptAfter = new PortalHttpClient(restarted.BaseAddress, keys[1].Text);
        await Eventually.HoldsAsync(async () => (await keptAfter.GetAsync("api/tenant/migrations", Ct)).StatusCode == HttpStatusCode.OK,
            TimeSpan.FromSeconds(60), () => restarted.Tail());
        Assert.Equal(HttpStatusCode.Unauthorized, (await revokedAfter.GetAsync("api/tenant/migrations", Ct)).StatusCode);

        // The trail written before the kill is all there: sign-in, both creations, the revocation.
        using var operatorClient = new PortalHttpClient(restarted.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        var entries = (await operatorClient.GetJsonAsync("api/operator/audit?tenant=contoso", Ct)).GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Target: e.GetProperty("target").GetString(),
                Actor: e.GetProperty("actorId").GetString()))
            .ToList();
        Assert.Contains(("account.signin", "tenant-contoso", "tenant-contoso"), entries);
        Assert.Contains(("key.create", keys[0].Id, "tenant-contoso"), entries);
        Assert.Contains(("key.create", keys[1].Id, "tenant-contoso"), entries);
        Assert.Contains(("key.revoke", keys[0].Id, "tenant-contoso"), entries);
        // Paged: one entry a page, following the cursor, gives the same entries in the same order.
        var paged = new List<string>();
        for (string? cursor = null; paged.Count < 50;)
        {
            var page = await operatorClient.GetJsonAsync($"api/operator/audit?tenant=contoso&limit=1{(cursor is null ? "" : $"&cursor={cursor}")}", Ct);
            paged.AddRange(page.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next").GetString();
            if (cursor is null)
            {
                break;
            }
        }

        var whole = (await operatorClient.GetJsonAsync("api/operator/audit?tenant=contoso", Ct)).GetProperty("entries").EnumerateArray()
            .Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(whole, paged);
    }
}
