using System.Net;
using System.Text.Json;
using MaintenancePortal.Tests.Shared;
using Microsoft.Playwright;
using WebhookReceiver;

namespace MaintenancePortal.EndToEnd;

/// <summary>
/// Webhooks through the real server: a tenant adds an endpoint in the portal, its maintenance
/// reaches a real receiver as signed CloudEvents, and the REST API checks input and keeps tenants apart.
/// </summary>
public sealed class WebhookTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tenant_subscribes_in_the_portal_and_receives_its_maintenance_as_signed_cloud_events()
    {
        const string hostId = "h-contoso-01";
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        var page = await portal.NewPageAsync();
        try
        {
            await PortalTests.SignInAsync(page, "tenant:contoso");
            await page.GotoAsync("webhooks");
            await page.WaitForSelectorAsync("[data-testid=tenant-webhooks][data-interactive=true]");
            await page.FillAsync("#webhook-url", receiver.Url.ToString());
            await page.FillAsync("#webhook-description", "operations");
            await page.FillAsync("#webhook-event-types", "com.maintenanceportal.host.*, com.maintenanceportal.instance.migration.completed");
            await page.ClickAsync("[data-testid=save-endpoint]");
            var row = page.Locator("tr[data-testid=endpoint-row][data-status=Enabled]");
            await Assertions.Expect(row).ToHaveCountAsync(1);
            var endpointId = (await row.GetAttributeAsync("data-endpoint"))!;
            await row.Locator("[data-testid=reveal-secret]").ClickAsync();
            var secret = (await row.Locator("[data-testid=secret] code").First.TextContentAsync())!.Trim();
            Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
            receiver.Forget(); // the registration check's requests

            using var operatorClient = new PortalHttpClient(portal.Server.BaseAddress);
            await operatorClient.SignInAsync("operator", Ct);
            var (status, started) = await operatorClient.StartMaintenanceAsync(hostId, Ct);
            Assert.Equal(HttpStatusCode.Accepted, status);
            var maintenanceId = started.GetProperty("maintenanceId").GetString();

            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Posts.Any(p => TypeOf(p) == "com.maintenanceportal.host.drained")),
                TimeSpan.FromSeconds(120), () => $"Received: {string.Join(", ", receiver.Posts.Select(TypeOf))}");
            var verifier = new WebhookVerifier([secret]);
            var events = receiver.Posts.Select(p =>
            {
                Assert.Null(verifier.Check(p.Header("webhook-id"), p.Header("webhook-timestamp"), p.Header("webhook-signature"), p.Body));
                Assert.StartsWith("application/cloudevents+json", p.Header("content-type"), StringComparison.Ordinal);
                return JsonDocument.Parse(p.Body).RootElement;
            }).ToList();
            Assert.All(events, e =>
            {
                Assert.Equal("1.0", e.GetProperty("specversion").GetString());
                Assert.Equal($"/maintenance/{maintenanceId}", e.GetProperty("source").GetString());
                Assert.Equal("contoso", e.GetProperty("data").GetProperty("tenantId").GetString());
            });
            var types = events.Select(e => e.GetProperty("type").GetString()).ToHashSet();
            Assert.Contains("com.maintenanceportal.host.maintenance.started", types);
            Assert.Contains("com.maintenanceportal.instance.migration.completed", types);
            Assert.DoesNotContain("com.maintenanceportal.instance.migration.scheduled", types); // not selected
            var completed = events.First(e => e.GetProperty("type").GetString() == "com.maintenanceportal.instance.migration.completed");
            Assert.Equal(completed.GetProperty("subject").GetString(), completed.GetProperty("data").GetProperty("instanceId").GetString());

            // The delivery log in the portal, then a test event and a replay from it.
            await page.Locator("[data-testid=show-deliveries]").ClickAsync();
            await Assertions.Expect(page.Locator("tr[data-testid=attempt-row][data-status='204']").First).ToBeVisibleAsync();
            await page.Locator("[data-testid=send-test]").ClickAsync();
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Posts.Any(p => TypeOf(p) == "com.maintenanceportal.webhook.test")),
                TimeSpan.FromSeconds(30));
            var drained = receiver.Posts.First(p => TypeOf(p) == "com.maintenanceportal.host.drained").Header("webhook-id")!;
            await page.Locator("[data-testid=show-deliveries]").ClickAsync();
            await page.Locator($"tr[data-testid=message-row][data-message='{drained}'] [data-testid=replay]").ClickAsync();
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Posts.Count(p => p.Header("webhook-id") == drained) == 2),
                TimeSpan.FromSeconds(30), () => "The replayed message did not arrive again with its id.");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = PortalTests.Screenshot("tenant-webhooks"), FullPage = true });

            var deliveries = await (await page.APIRequest.GetAsync($"api/tenant/webhooks/{endpointId}/deliveries")).JsonAsync();
            Assert.Contains(deliveries!.Value.GetProperty("finished").EnumerateArray(), m => m.GetProperty("messageId").GetString() == drained);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_webhook_api_refuses_bad_input_and_never_lets_one_tenant_reach_another_tenants_endpoint()
    {
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        using var contoso = new PortalHttpClient(portal.Server.BaseAddress);
        using var fabrikam = new PortalHttpClient(portal.Server.BaseAddress);
        await contoso.SignInAsync("tenant:contoso", Ct);
        await fabrikam.SignInAsync("tenant:fabrikam", Ct);

        using var created = await contoso.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url, description = "mine" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpoint = await Json(created);
        var id = endpoint.GetProperty("id").GetString()!;
        Assert.Equal("Enabled", endpoint.GetProperty("status").GetString());
        Assert.Equal($"/api/tenant/webhooks/{id}", created.Headers.Location?.ToString());
        var secret = (await contoso.GetJsonAsync($"api/tenant/webhooks/{id}/secret", Ct)).GetProperty("secret").GetString();

        // Fabrikam: its list is its own, and every route with Contoso's endpoint id is a 404.
        Assert.DoesNotContain((await fabrikam.GetJsonAsync("api/tenant/webhooks", Ct)).EnumerateArray(),
            e => e.GetProperty("id").GetString() == id);
        var routes = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Get, "", null),
            (HttpMethod.Put, "", new { url = "https://hooks.example.com/stolen" }),
            (HttpMethod.Post, "/check", null),
            (HttpMethod.Post, "/enable", null),
            (HttpMethod.Post, "/disable", null),
            (HttpMethod.Get, "/secret", null),
            (HttpMethod.Post, "/secret/rotate", null),
            (HttpMethod.Post, "/test", null),
            (HttpMethod.Get, "/deliveries", null),
            (HttpMethod.Post, "/deliveries/msg_0123/replay", null),
            (HttpMethod.Post, "/replay", new { since = DateTimeOffset.UtcNow.AddDays(-1) }),
            (HttpMethod.Delete, "", null),
        };
        foreach (var (method, path, body) in routes)
        {
            using var response = await fabrikam.SendAsync(method, $"api/tenant/webhooks/{id}{path}", body, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path} answered {(int)response.StatusCode} to another tenant.");
            Assert.StartsWith("application/problem+json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        }

        // Bad input: each a 400 naming the field, and nothing changes.
        var bad = new (object Body, string Field)[]
        {
            (new { url = "http://169.254.169.254/latest/meta-data/" }, "url"),
            (new { url = "ftp://hooks.example.com/x" }, "url"),
            (new { url = "not a url" }, "url"),
            (new { url = receiver.Url, eventTypes = new[] { "com.maintenanceportal.instance.migraton.*" } }, "eventTypes"),
            (new { url = receiver.Url, instanceIds = new[] { "i-not-mine" } }, "instanceIds"),
            (new { url = receiver.Url, description = new string('x', 201) }, "description"),
        };
        foreach (var (body, field) in bad)
        {
            using var refused = await contoso.PostJsonAsync("api/tenant/webhooks", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            // The field, or the entry of it that is wrong (eventTypes[0]).
            Assert.True((await Json(refused)).GetProperty("errors").EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.Ordinal)),
                $"No error for {field}.");
            using var refusedChange = await contoso.PutJsonAsync($"api/tenant/webhooks/{id}", body, Ct);
            Assert.Equal(HttpStatusCode.BadRequest, refusedChange.StatusCode);
        }

        using (var malformed = await contoso.SendRawAsync(HttpMethod.Post, "api/tenant/webhooks", "{not json", Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }

        using (var noSince = await contoso.PostJsonAsync($"api/tenant/webhooks/{id}/replay", new { }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noSince.StatusCode);
        }

        using (var unknownMessage = await contoso.PostJsonAsync($"api/tenant/webhooks/{id}/deliveries/msg_unknown/replay", new { }, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknownMessage.StatusCode);
        }

        var after = await contoso.GetJsonAsync($"api/tenant/webhooks/{id}", Ct);
        Assert.Equal((receiver.Url.ToString(), "mine", "Enabled"),
            (after.GetProperty("url").GetString(), after.GetProperty("description").GetString(), after.GetProperty("status").GetString()));
        Assert.Equal(secret, (await contoso.GetJsonAsync($"api/tenant/webhooks/{id}/secret", Ct)).GetProperty("secret").GetString());
        Assert.Single((await contoso.GetJsonAsync("api/tenant/webhooks", Ct)).EnumerateArray(), e => e.GetProperty("id").GetString() == id);

        using (var deleted = await contoso.SendAsync(HttpMethod.Delete, $"api/tenant/webhooks/{id}", null, Ct))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        using var gone = await contoso.GetAsync($"api/tenant/webhooks/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    private static string? TypeOf(ReceivedRequest post) => JsonDocument.Parse(post.Body).RootElement.GetProperty("type").GetString();

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Ct));
}
