using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// Every route the API describes (its own OpenAPI document, so a new route cannot escape), called
/// by everyone who may not use it: nobody, a revoked and an expired key, a Read key on writes, a
/// tenant's key on operator routes, the operators' key on tenant routes, and another tenant (session
/// and key) on contoso's real moves, endpoints, messages and keys. Each is refused with 401, 403 or 404
/// problem details; nobody sees contoso's data; nothing contoso has changes.
/// </summary>
public sealed class AuthorizationWalkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_described_route_refuses_whoever_may_not_use_it_and_shows_nobody_another_tenants_data()
    {
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        await using var server = await PortalServer.StartAsync(Ct, new Dictionary<string, string>
        {
            ["Api__RateLimit__PermitsPerSecond"] = "10000", ["Api__RateLimit__Burst"] = "10000",
            ["Api__RateLimit__RefusedKeysPerSecond"] = "10000", ["Api__RateLimit__RefusedKeysBurst"] = "10000",
        });
        using var contoso = new PortalHttpClient(server.BaseAddress);
        await contoso.SignInAsync("tenant:contoso", Ct);
        using var fabrikam = new PortalHttpClient(server.BaseAddress);
        await fabrikam.SignInAsync("tenant:fabrikam", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);

        // contoso's things to aim at: moves waiting for its approval, an endpoint with a delivered message, keys.
        Assert.Equal(HttpStatusCode.OK, (await contoso.PutJsonAsync("api/tenant/preferences", new { @default = "AskFirst" }, Ct)).StatusCode);
        var (started, maintenance) = await operatorClient.StartMaintenanceAsync("h-contoso-02", Ct);
        Assert.Equal(HttpStatusCode.Accepted, started);
        var move = maintenance.GetProperty("moves").EnumerateObject().First().Value;
        var ids = new Dictionary<string, string>
        {
            ["maintenanceId"] = maintenance.GetProperty("maintenanceId").GetString()!,
            ["moveId"] = move.GetProperty("moveId").GetString()!,
            ["instanceId"] = move.GetProperty("instanceId").GetString()!,
            ["hostId"] = "h-contoso-03",
        };
        using var created = await contoso.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url }, Ct);
        ids["endpointId"] = (await JsonAsync(created)).GetProperty("id").GetString()!;
        using var test = await contoso.PostJsonAsync($"api/tenant/webhooks/{ids["endpointId"]}/test", new { }, Ct);
        ids["messageId"] = (await JsonAsync(test)).GetProperty("messageId").GetString()!;
        using var contact = await contoso.PostJsonAsync("api/tenant/notices/contacts", new { address = "ops@contoso.example", kinds = new[] { "Scheduled" } }, Ct);
        ids["contactId"] = (await JsonAsync(contact)).GetProperty("id").GetString()!;
        var manageKey = await CreateKeyAsync(contoso, new { name = "manage", scopes = new[] { "Manage" } });
        var readKey = await CreateKeyAsync(contoso, new { name = "read", scopes = new[] { "Read" } });
        var revokedKey = await CreateKeyAsync(contoso, new { name = "revoked", scopes = new[] { "Manage" } });
        var expiringKey = await CreateKeyAsync(contoso, new { name = "expiring", scopes = new[] { "Manage" }, expiresAt = DateTimeOffset.UtcNow.AddSeconds(3) });
        ids["keyId"] = readKey.Id;
        Assert.Equal(HttpStatusCode.OK, (await contoso.SendAsync(HttpMethod.Delete, $"api/tenant/keys/{revokedKey.Id}", null, Ct)).StatusCode);
        var fabrikamKey = await CreateKeyAsync(fabrikam, new { name = "fabrikam", scopes = new[] { "Manage" } });
        var operatorKey = await CreateKeyAsync(operatorClient, new { name = "operators", scopes = new[] { "Manage" } });
        await Eventually.HoldsAsync(async () =>
            (await contoso.GetJsonAsync($"api/tenant/webhooks/{ids["endpointId"]}/deliveries", Ct)).GetProperty("waiting").GetArrayLength() == 0,
            TimeSpan.FromSeconds(30));
        // contoso's ids: what no one else may see in an answer.
        var secret = (await contoso.GetJsonAsync($"api/tenant/webhooks/{ids["endpointId"]}/secret", Ct)).GetProperty("secret").GetString()!;
        var contosoMarks = ids.Where(i => i.Key != "hostId" && i.Key != "maintenanceId").Select(i => i.Value)
            .Append(manageKey.Id).Append(secret).ToList();

        async Task<string> SnapshotAsync()
        {
            var views = new System.Text.StringBuilder();
            foreach (var path in new[]
                     {
                         "api/tenant/preferences", "api/tenant/migrations", "api/tenant/webhooks", $"api/tenant/webhooks/{ids["endpointId"]}/secret",
                         $"api/tenant/webhooks/{ids["endpointId"]}/deliveries", "api/tenant/notices/contacts",
                     })
            {
                views.AppendLine(path).AppendLine((await contoso.GetJsonAsync(path, Ct)).GetRawText());
            }

            // Keys without their last use, which using them in the walk changes.
            foreach (var (client, path) in new[] { (contoso, "api/tenant/keys"), (operatorClient, "api/operator/keys") })
            {
                foreach (var key in (await client.GetJsonAsync(path, Ct)).EnumerateArray())
                {
                    views.AppendLine($"{path} {key.GetProperty("id")} {key.GetProperty("revokedAt")} {key.GetProperty("expiresAt")}");
                }
            }

            foreach (var path in new[] { "api/operator/hosts", "api/operator/maintenance" })
            {
                views.AppendLine(path).AppendLine((await operatorClient.GetJsonAsync(path, Ct)).GetRawText());
            }

            return views.ToString();
        }

        await Eventually.HoldsAsync(async () => (await new PortalHttpClient(server.BaseAddress, expiringKey.Text).GetAsync("api/tenant/migrations", Ct))
            .StatusCode == HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(10));
        var before = await SnapshotAsync();

        // The routes, from the API's own description.
        var document = await operatorClient.GetJsonAsync("openapi/v1.json", Ct);
        var routes = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Method: new HttpMethod(op.Name.ToUpperInvariant()), Template: path.Name,
                HasBody: op.Value.TryGetProperty("requestBody", out _), Secured: op.Value.TryGetProperty("security", out var security)
                                                                                 && security.GetArrayLength() > 0)))
            .ToList();
        Assert.True(routes.Count >= 35, $"The API describes only {routes.Count} routes.");
        Assert.All(routes, r => Assert.True(r.Secured, $"{r.Method} {r.Template} has no authorization policy."));

        var callers = new (string Name, PortalHttpClient Client, Func<(HttpMethod Method, string Template), HttpStatusCode?> Expect)[]
        {
            ("nobody", new PortalHttpClient(server.BaseAddress), _ => HttpStatusCode.Unauthorized),
            ("a revoked key", new PortalHttpClient(server.BaseAddress, revokedKey.Text), _ => HttpStatusCode.Unauthorized),
            ("an expired key", new PortalHttpClient(server.BaseAddress, expiringKey.Text), _ => HttpStatusCode.Unauthorized),
            ("a key that is no key", new PortalHttpClient(server.BaseAddress, readKey.Text[..^1] + (readKey.Text[^1] == 'A' ? "B" : "A")),
                _ => HttpStatusCode.Unauthorized),
            ("contoso's Read key", new PortalHttpClient(server.BaseAddress, readKey.Text),
                r => r.Method == HttpMethod.Get ? null : HttpStatusCode.Forbidden),
            ("contoso's Manage key", new PortalHttpClient(server.BaseAddress, manageKey.Text), r => Operator(r) ? HttpStatusCode.Forbidden : null),
            ("contoso's session", contoso, r => Operator(r) ? HttpStatusCode.Forbidden : null),
            ("the operators' key", new PortalHttpClient(server.BaseAddress, operatorKey.Text), r => Operator(r) ? null : HttpStatusCode.Forbidden),
            ("fabrikam's session", fabrikam, Stranger),
            ("fabrikam's key", new PortalHttpClient(server.BaseAddress, fabrikamKey.Text), Stranger),
        };

        var failures = new List<string>();
        var calls = 0;
        foreach (var (name, client, expect) in callers)
        {
            foreach (var route in routes)
            {
                var path = PathOf(route.Template, ids);
                var expected = expect((route.Method, route.Template));
                if (expected is null && !(route.Method == HttpMethod.Get && name.StartsWith("fabrikam", StringComparison.Ordinal)))
                {
                    continue; // allowed, and not another tenant's read to check
                }

                calls++;
                using var response = await client.SendRawAsync(route.Method, path, route.HasBody ? ValidBody(route.Method, route.Template, receiver.Url) : "", Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if (expected is { } status)
                {
                    if (response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    {
                        failures.Add($"{name}: {route.Method} /{path}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType}, expected {(int)status} problem details");
                    }
                }
                else if (!response.IsSuccessStatusCode)
                {
                    failures.Add($"{name}: {route.Method} /{path}: {(int)response.StatusCode}");
                }
                else if (route.Template.EndsWith("/audit", StringComparison.Ordinal))
                {
                    // fabrikam's own trail names the ids fabrikam itself sent (its refused attempts on contoso's): only its own entries.
                    if (JsonSerializer.Deserialize<JsonElement>(body).GetProperty("entries").EnumerateArray()
                        .Any(e => e.GetProperty("tenantId").GetString() != "fabrikam"))
                    {
                        failures.Add($"{name}: {route.Method} /{path}: shows another tenant's entries");
                    }
                }
                else if (contosoMarks.FirstOrDefault(mark => body.Contains(mark, StringComparison.Ordinal)) is { } leak)
                {
                    failures.Add($"{name}: {route.Method} /{path}: shows contoso's {leak}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {calls} calls:\n{string.Join("\n", failures.Take(40))}");
        Assert.Equal(before, await SnapshotAsync());
        Assert.True(calls > 250, $"Only {calls} calls.");

        static bool Operator((HttpMethod Method, string Template) route) => route.Template.StartsWith("/api/operator/", StringComparison.Ordinal);

        // Another tenant: operator routes are forbidden; a tenant route about one of contoso's things is not found; its own lists are its own.
        static HttpStatusCode? Stranger((HttpMethod Method, string Template) route) =>
            Operator(route) ? HttpStatusCode.Forbidden : route.Template.Contains('{', StringComparison.Ordinal) ? HttpStatusCode.NotFound : null;
    }

    private sealed record Key(string Id, string Text);

    private static async Task<Key> CreateKeyAsync(PortalHttpClient client, object request)
    {
        var path = (await client.GetAsync("api/operator/keys", Ct)).IsSuccessStatusCode ? "api/operator/keys" : "api/tenant/keys";
        using var response = await client.PostJsonAsync(path, request, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await JsonAsync(response);
        return new Key(created.GetProperty("key").GetProperty("id").GetString()!, created.GetProperty("text").GetString()!);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(Ct));

    /// <summary>The route with contoso's real ids in it; a parameter the walk has no id for fails the test.</summary>
    private static string PathOf(string template, IReadOnlyDictionary<string, string> ids)
    {
        var path = template.TrimStart('/');
        foreach (System.Text.RegularExpressions.Match parameter in System.Text.RegularExpressions.Regex.Matches(template, @"\{(\w+)\}"))
        {
            var name = parameter.Groups[1].Value;
            path = path.Replace(parameter.Value, ids.TryGetValue(name, out var id) ? id : throw new InvalidOperationException(
                $"The walk has no id for {{{name}}} in {template}: add one."), StringComparison.Ordinal);
        }

        return path;
    }

    /// <summary>A body the route accepts, so that only who calls it can be the reason for a refusal; a route not listed fails the test.</summary>
    private static string ValidBody(HttpMethod method, string template, Uri receiver) => ($"{method} {template}" switch
    {
        "POST /api/tenant/migrations/{moveId}/reschedule" => new JsonObject { ["start"] = DateTimeOffset.UtcNow.AddMinutes(30).ToString("O") },
        "PUT /api/tenant/preferences" => new JsonObject { ["default"] = "LiveMigrate" },
        "POST /api/tenant/webhooks" or "PUT /api/tenant/webhooks/{endpointId}" => new JsonObject { ["url"] = receiver.ToString() },
        "POST /api/tenant/webhooks/{endpointId}/replay" => new JsonObject { ["since"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O") },
        "POST /api/tenant/notices/contacts" or "PUT /api/tenant/notices/contacts/{contactId}" =>
            new JsonObject { ["address"] = "ops@contoso.example", ["kinds"] = new JsonArray("Scheduled") },
        "POST /api/operator/hosts/{hostId}/maintenance" => new JsonObject { ["reason"] = "FirmwareUpdate" },
        "POST /api/operator/instances/{instanceId}/force-complete" => new JsonObject { ["mode"] = "PostCopy" },
        "POST /api/tenant/keys" or "POST /api/operator/keys" => new JsonObject { ["name"] = "walk", ["scopes"] = new JsonArray("Read") },
        var other => throw new InvalidOperationException($"The walk has no valid body for {other}: add one."),
    }).ToJsonString();
}
