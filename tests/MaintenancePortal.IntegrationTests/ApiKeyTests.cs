using System.Net;
using System.Text.Json;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>API keys as a program uses them, the rate limit per key, and cookie writes that must come from the portal.</summary>
public sealed class ApiKeyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_key_does_what_its_tenant_does_until_revoked_then_is_refused_at_once_and_the_trail_says_who_did_what()
    {
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        await using var server = await PortalServer.StartAsync(Ct);
        using var contoso = new PortalHttpClient(server.BaseAddress);
        await contoso.SignInAsync("tenant:contoso", Ct);

        using var created = await contoso.PostJsonAsync("api/tenant/keys", new { name = "deploy bot", scopes = new[] { "Manage" } }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = JsonSerializer.Deserialize<JsonElement>(await created.Content.ReadAsStringAsync(Ct));
        var keyId = key.GetProperty("key").GetProperty("id").GetString()!;
        var text = key.GetProperty("text").GetString()!;
        Assert.StartsWith($"mpk_{keyId}_", text, StringComparison.Ordinal);
        Assert.Equal($"/api/tenant/keys/{keyId}", created.Headers.Location?.ToString());

        // What the tenant does in the portal, the key does through the API.
        using var bot = new PortalHttpClient(server.BaseAddress, text);
        Assert.Equal(HttpStatusCode.OK, (await bot.GetAsync("api/tenant/migrations", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await bot.PutJsonAsync("api/tenant/preferences", new { @default = "RebootInWindow" }, Ct)).StatusCode);
        using var endpoint = await bot.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url }, Ct);
        Assert.Equal(HttpStatusCode.Created, endpoint.StatusCode);
        Assert.Equal("RebootInWindow", (await contoso.GetJsonAsync("api/tenant/preferences", Ct)).GetProperty("default").GetString());

        // Listed without its text, with its last use; never shown again.
        var listed = await contoso.GetJsonAsync("api/tenant/keys", Ct);
        var entry = listed.EnumerateArray().Single(k => k.GetProperty("id").GetString() == keyId);
        Assert.NotEqual(JsonValueKind.Null, entry.GetProperty("lastUsedAt").ValueKind);
        Assert.DoesNotContain(text[(4 + keyId.Length + 1)..], listed.GetRawText(), StringComparison.Ordinal);

        // A key cannot make a key with more than it has.
        using var readKeyResponse = await bot.PostJsonAsync("api/tenant/keys", new { name = "reader", scopes = new[] { "Read" } }, Ct);
        var reader = JsonSerializer.Deserialize<JsonElement>(await readKeyResponse.Content.ReadAsStringAsync(Ct)).GetProperty("text").GetString()!;
        using var readerClient = new PortalHttpClient(server.BaseAddress, reader);
        using var escalate = await readerClient.PostJsonAsync("api/tenant/keys", new { name = "more", scopes = new[] { "Manage" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, escalate.StatusCode);
        Assert.Contains("do not allow POST: it needs Manage", await escalate.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // Revoked: refused from the next request on.
        Assert.Equal(HttpStatusCode.OK, (await contoso.SendAsync(HttpMethod.Delete, $"api/tenant/keys/{keyId}", null, Ct)).StatusCode);
        using var refused = await bot.GetAsync("api/tenant/migrations", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);

        // The trail: who (the person, then the key), what, on what; never the key's text.
        var trail = await contoso.GetJsonAsync("api/tenant/audit", Ct);
        var entries = trail.GetProperty("entries").EnumerateArray()
            .Select(e => (Action: e.GetProperty("action").GetString(), Kind: e.GetProperty("actorKind").GetString(), Actor: e.GetProperty("actorId").GetString()))
            .ToList();
        Assert.Contains(("key.create", "User", "dev:contoso"), entries);
        Assert.Contains(("preferences.set", "Key", keyId), entries);
        Assert.Contains(("webhook.create", "Key", keyId), entries);
        Assert.Contains(("key.revoke", "User", "dev:contoso"), entries);
        Assert.DoesNotContain(text[(4 + keyId.Length + 1)..], trail.GetRawText(), StringComparison.Ordinal);

        // Operators read it all, filtered.
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        var byKey = await operatorClient.GetJsonAsync($"api/operator/audit?tenant=contoso&actor={keyId}&action=webhook.", Ct);
        Assert.Equal(["webhook.create"], byKey.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        using var badQuery = await operatorClient.GetAsync("api/operator/audit?limit=5000", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badQuery.StatusCode);
        Assert.Contains("limit", await badQuery.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_past_its_rate_is_answered_429_with_retry_after_and_other_keys_go_on()
    {
        await using var server = await PortalServer.StartAsync(Ct, new Dictionary<string, string>
        {
            ["Api__RateLimit__PermitsPerSecond"] = "1", ["Api__RateLimit__Burst"] = "3",
            ["Api__RateLimit__RefusedKeysPerSecond"] = "1", ["Api__RateLimit__RefusedKeysBurst"] = "3",
        });
        using var contoso = new PortalHttpClient(server.BaseAddress);
        await contoso.SignInAsync("tenant:contoso", Ct);
        var keys = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var created = await contoso.PostJsonAsync("api/tenant/keys", new { name = $"key {i}", scopes = new[] { "Read" } }, Ct);
            keys.Add(JsonSerializer.Deserialize<JsonElement>(await created.Content.ReadAsStringAsync(Ct)).GetProperty("text").GetString()!);
        }

        using var busy = new PortalHttpClient(server.BaseAddress, keys[0]);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 6 && limited is null; i++)
        {
            var response = await busy.GetAsync("api/tenant/preferences", Ct);
            statuses.Add(response.StatusCode);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests ? response : null;
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 3, string.Join(", ", statuses));
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {limited.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        using var other = new PortalHttpClient(server.BaseAddress, keys[1]);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/tenant/preferences", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await contoso.GetAsync("api/tenant/preferences", Ct)).StatusCode); // a session is not a key

        // Made-up keys from one address: refused (401), then, past the address's rate of refusals, answered 429
        // before anything is looked up (every key from the address, for as long as it lasts).
        using var guesser = new PortalHttpClient(server.BaseAddress, "mpk_aaaaaaaaaaaa_" + new string('b', 43));
        var guesses = new List<HttpStatusCode>();
        for (var i = 0; i < 6 && !guesses.Contains(HttpStatusCode.TooManyRequests); i++)
        {
            using var response = await guesser.GetAsync("api/tenant/preferences", Ct);
            guesses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }

        Assert.True(guesses.Take(3).All(s => s == HttpStatusCode.Unauthorized) && guesses[^1] == HttpStatusCode.TooManyRequests,
            string.Join(", ", guesses));
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("api/tenant/preferences", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_cookie_write_from_another_site_is_refused_and_changes_nothing()
    {
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        await using var server = await PortalServer.StartAsync(Ct);
        using var contoso = new PortalHttpClient(server.BaseAddress);
        await contoso.SignInAsync("tenant:contoso", Ct);
        using var created = await contoso.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url }, Ct);
        var endpointId = JsonSerializer.Deserialize<JsonElement>(await created.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetString()!;
        var secret = (await contoso.GetJsonAsync($"api/tenant/webhooks/{endpointId}/secret", Ct)).GetRawText();

        // What a page on another site can make a browser send: a form post with the cookie, no header of its choosing.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = contoso.Cookies, AllowAutoRedirect = false })
        {
            BaseAddress = server.BaseAddress,
        };
        foreach (var (origin, site, header) in new (string? Origin, string? Site, bool Header)[]
                 {
                     ("http://evil.example", "cross-site", false), (null, null, false), ("http://evil.example", "cross-site", true),
                     (null, "same-site", true),
                 })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"api/tenant/webhooks/{endpointId}/secret/rotate")
            {
                Content = new FormUrlEncodedContent([]),
            };
            if (origin is not null)
            {
                request.Headers.Add("Origin", origin);
            }

            if (site is not null)
            {
                request.Headers.Add("Sec-Fetch-Site", site);
            }

            if (header)
            {
                request.Headers.Add("X-Requested-With", "XMLHttpRequest");
            }

            using var response = await browser.SendAsync(request, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"Origin {origin}, Sec-Fetch-Site {site}, header {header}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(secret, (await contoso.GetJsonAsync($"api/tenant/webhooks/{endpointId}/secret", Ct)).GetRawText());
        // The portal's own origin with the header: the change goes through.
        using var own = new HttpRequestMessage(HttpMethod.Post, $"api/tenant/webhooks/{endpointId}/secret/rotate");
        own.Headers.Add("Origin", server.BaseAddress.GetLeftPart(UriPartial.Authority));
        own.Headers.Add("X-Requested-With", "XMLHttpRequest");
        Assert.Equal(HttpStatusCode.OK, (await browser.SendAsync(own, Ct)).StatusCode);
        Assert.NotEqual(secret, (await contoso.GetJsonAsync($"api/tenant/webhooks/{endpointId}/secret", Ct)).GetRawText());
    }
}
