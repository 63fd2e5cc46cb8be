using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// Every route of the REST API, fed what a careless or hostile client sends: malformed JSON, wrong
/// types, nulls in lists, undefined enum numbers and comma lists, huge bodies and strings, unicode,
/// unknown and malformed ids. Each must be refused with a 4xx (never a 5xx, never accepted), a
/// refusal of a field must name it, and nothing the API shows may change. The real server, embedded
/// profile; the tenant's moves wait for its approval, so nothing changes by itself meanwhile.
/// </summary>
public sealed class ApiFuzzTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Host = "h-contoso-02";
    private const string Instance = "i-does-not-run";

    [Fact]
    public async Task Malformed_input_on_every_route_is_refused_with_a_4xx_naming_the_field_and_changes_nothing()
    {
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        await using var server = await PortalServer.StartAsync(Ct);
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync("tenant:contoso", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);

        // Something of each kind to aim at: moves that wait for approval, an endpoint with a delivered message.
        Assert.Equal(HttpStatusCode.OK, (await tenant.PutJsonAsync("api/tenant/preferences", new { @default = "AskFirst" }, Ct)).StatusCode);
        var (started, maintenance) = await operatorClient.StartMaintenanceAsync(Host, Ct);
        Assert.Equal(HttpStatusCode.Accepted, started);
        var maintenanceId = maintenance.GetProperty("maintenanceId").GetString()!;
        var moveId = maintenance.GetProperty("moves").EnumerateObject().First().Value.GetProperty("moveId").GetString()!;
        using var created = await tenant.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var endpointId = JsonSerializer.Deserialize<JsonElement>(await created.Content.ReadAsStringAsync(Ct)).GetProperty("id").GetString()!;
        var webhook = $"api/tenant/webhooks/{endpointId}";
        using var test = await tenant.PostJsonAsync($"{webhook}/test", new { }, Ct);
        var messageId = JsonSerializer.Deserialize<JsonElement>(await test.Content.ReadAsStringAsync(Ct)).GetProperty("messageId").GetString()!;
        await Eventually.HoldsAsync(async () => (await tenant.GetJsonAsync($"{webhook}/deliveries", Ct)).GetProperty("waiting").GetArrayLength() == 0,
            TimeSpan.FromSeconds(30));

        async Task<string> SnapshotAsync()
        {
            var views = new StringBuilder();
            foreach (var (client, path) in new[]
                     {
                         (tenant, "api/tenant/preferences"), (tenant, "api/tenant/migrations"), (tenant, "api/tenant/webhooks"),
                         (tenant, $"{webhook}/secret"), (tenant, $"{webhook}/deliveries"),
                         (tenant, "api/tenant/keys"), (operatorClient, "api/operator/keys"),
                         (operatorClient, "api/operator/hosts"), (operatorClient, "api/operator/maintenance"),
                     })
            {
                views.AppendLine(path).AppendLine((await client.GetJsonAsync(path, Ct)).GetRawText());
            }

            return views.ToString();
        }

        var before = await SnapshotAsync();
        var cases = Cases(moveId, maintenanceId, endpointId, messageId).ToList();
        var failures = new List<string>();
        foreach (var fuzz in cases)
        {
            var client = fuzz.Path.StartsWith("api/operator", StringComparison.Ordinal) ? operatorClient : tenant;
            using var response = await client.SendRawAsync(fuzz.Method, fuzz.Path, fuzz.Body, Ct, fuzz.ContentType);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var status = (int)response.StatusCode;
            if (status is < 400 or >= 500)
            {
                failures.Add($"{fuzz}: {status} {Clip(body)}");
                before = await SnapshotAsync(); // what it changed is not held against the cases after it
                continue;
            }

            if (fuzz.Field is { } field && status == 400
                && !(JsonSerializer.Deserialize<JsonElement>(body).TryGetProperty("errors", out var errors)
                     && errors.EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase))))
            {
                failures.Add($"{fuzz}: the refusal does not name {field}: {Clip(body)}");
            }

            if (await SnapshotAsync() != before)
            {
                failures.Add($"{fuzz}: answered {status}, yet what the API shows changed");
                before = await SnapshotAsync();
            }
        }

        Assert.True(cases.Count > 500, $"Only {cases.Count} cases.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} requests:\n{string.Join("\n", failures.Take(40))}");
        Assert.DoesNotContain("Unhandled exception", server.Output, StringComparison.Ordinal);
    }

    private static string Clip(string text) => text.Length > 300 ? text[..300] + "…" : text;

    /// <summary>One request of the fuzz: a raw body, and the field it gets wrong when it is about one.</summary>
    private sealed record Case(HttpMethod Method, string Path, string Body, string? Field, string ContentType = "application/json")
    {
        public override string ToString() => $"{Method} /{Path} {Clip(Body.Length > 120 ? Body[..120] + $"…({Body.Length} chars)" : Body)}";
    }

    private static IEnumerable<Case> Cases(string moveId, string maintenanceId, string endpointId, string messageId)
    {
        var webhook = $"api/tenant/webhooks/{endpointId}";
        var endpointBody = new JsonObject { ["url"] = "https://hooks.example.com/maintenance", ["description"] = "ops", ["eventTypes"] = new JsonArray("*"), ["instanceIds"] = new JsonArray() };
        // Routes with a body: a valid body to start from, and for each field what is wrong for it.
        var bodies = new (HttpMethod Method, string Path, JsonObject Valid, (string Field, JsonNode?[] Wrong)[] Fields)[]
        {
            (HttpMethod.Put, "api/tenant/preferences", new JsonObject { ["default"] = "AskFirst" },
            [
                ("default", WrongEnum("LiveMigrate")),
                ("perInstance", [new JsonObject { ["i-not-mine"] = "AskFirst" }, new JsonObject { ["i-not-mine"] = 99 }, new JsonArray(), "x", 3]),
                ("windows", [.. Lists(), new JsonArray(new JsonObject()),
                    new JsonArray(Window(day: -1)), new JsonArray(Window(day: 99)), new JsonArray(Window(day: "Funday")), new JsonArray(Window(day: "Monday, Tuesday")),
                    new JsonArray(Window(start: "25:00")), new JsonArray(Window(start: 5)), new JsonArray(Window(length: "-01:00:00")),
                    new JsonArray(Window(length: "8.00:00:00")), new JsonArray(Window(length: "abc")), new JsonArray(Window(length: "01:59:59")),
                    new JsonArray([.. Enumerable.Range(0, 29).Select(_ => (JsonNode)Window())])]),
                ("timeZone", ["", "Mars/Olympus_Mons", "europe/berlin ", "CET;drop", 5, true, new JsonObject(), new JsonArray(), new string('z', 5000)]),
            ]),
            (HttpMethod.Post, $"api/tenant/migrations/{moveId}/reschedule", new JsonObject { ["start"] = DateTimeOffset.UtcNow.AddHours(1).ToString("O") },
            [
                ("start", [null, "", "tomorrow", "2026-13-45T99:00:00Z", 1234, true, new JsonObject(), new JsonArray(), "💥", new string('9', 100_000)]),
            ]),
            (HttpMethod.Post, "api/tenant/webhooks", endpointBody, EndpointFields()),
            (HttpMethod.Put, webhook, endpointBody, EndpointFields()),
            (HttpMethod.Post, $"{webhook}/replay", new JsonObject { ["since"] = DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), ["failedOnly"] = true },
            [
                ("since", [null, "", "last week", 0, true, new JsonArray(), "💥"]),
                ("failedOnly", [null, "yes", 1, new JsonObject(), new JsonArray()]),
            ]),
            (HttpMethod.Post, $"api/operator/hosts/{Host.Replace("02", "03", StringComparison.Ordinal)}/maintenance", new JsonObject { ["reason"] = "FirmwareUpdate" },
            [
                ("reason", [.. WrongEnum("FirmwareUpdate"), "FirmwareUpdate, HardwareReplacement", "Firmware Update"]),
            ]),
            (HttpMethod.Post, "api/tenant/keys", new JsonObject { ["name"] = "ci", ["scopes"] = new JsonArray("Read") },
            [
                ("name", [null, "", " ", new string('n', 101), "a\u0000b", 123, true, new JsonObject(), new JsonArray()]),
                ("scopes", [.. Lists(), new JsonArray(), new JsonArray("Banana"), new JsonArray(99), new JsonArray(1), new JsonArray("Read", "Read"),
                    new JsonArray("Read, Manage"), "Read"]),
                ("expiresAt", ["tomorrow", "", 5, true, new JsonArray(), "2000-01-01T00:00:00Z", DateTimeOffset.UtcNow.AddYears(2).ToString("O")]),
            ]),
            (HttpMethod.Post, $"api/operator/instances/{Instance}/force-complete", new JsonObject { ["mode"] = "PostCopy" },
            [
                ("mode", WrongEnum("PostCopy")),
            ]),
        };

        foreach (var (method, path, valid, fields) in bodies)
        {
            // The body as a whole.
            foreach (var raw in new[]
                     {
                         "", "{", "[", "}", "null", "[]", "123", "\"text\"", "{\"a\":}", "{'single':'quotes'}", "{\"unknown\":1}",
                         Merge(valid, "\"duplicate\":1,\"duplicate\":2"), "\u0000", new string('[', 5000) + new string(']', 5000),
                         "{\"x\":\"" + new string('a', 200_000) + "\"}",
                     })
            {
                yield return new Case(method, path, raw, null);
            }

            yield return new Case(method, path, valid.ToJsonString(), null, "text/plain");

            // Each field wrong in every way that fits it, the rest of the body valid.
            foreach (var (field, wrongs) in fields)
            {
                foreach (var wrong in wrongs)
                {
                    var body = (JsonObject)valid.DeepClone();
                    body[field] = wrong?.DeepClone();
                    // A body too large to read is refused (413) before any field is looked at.
                    var text = body.ToJsonString();
                    yield return new Case(method, path, text, text.Length > 64 * 1024 ? null : field);
                }
            }
        }

        // The list of moves and its export: each query parameter given what it cannot be, the refusal naming it.
        var listParameters = new (string Name, string[] Wrong)[]
        {
            ("state", ["99", "1", "Nope", "Completed,Failed", "", "%00"]), ("reason", ["7", "Unknown", "FirmwareUpdate;Rebalance"]),
            ("sort", ["2", "sideways"]), ("from", ["yesterday", "2026-13-45T00:00:00Z", "%F0%9F%92%A5"]), ("to", ["not a time"]),
            ("q", [new string('x', 101), "%00", "a%0Ab"]), ("instance", [new string('i', 101), "%07"]), ("maintenance", [new string('m', 5000)]),
        };
        foreach (var path in new[] { "api/tenant/migrations", "api/tenant/migrations.csv" })
        {
            foreach (var (name, wrong) in listParameters)
            {
                foreach (var value in wrong)
                {
                    yield return new Case(HttpMethod.Get, $"{path}?{name}={value}", "", name);
                }
            }

            yield return new Case(HttpMethod.Get, $"{path}?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "", "from");
        }

        foreach (var value in new[] { "0", "501", "-1", "ten", "1.5", "99999999999", "" })
        {
            yield return new Case(HttpMethod.Get, $"api/tenant/migrations?limit={value}", "", "limit");
        }

        foreach (var value in new[] { "mv-elsewhere", "%00", moveId + "x" })
        {
            yield return new Case(HttpMethod.Get, $"api/tenant/migrations?cursor={value}", "", "cursor");
        }

        // Every route, with ids that name nothing or are not ids at all.
        var routes = new (HttpMethod Method, string Template)[]
        {
            (HttpMethod.Post, "api/tenant/migrations/{}/reschedule"), (HttpMethod.Post, "api/tenant/migrations/{}/approve"),
            (HttpMethod.Get, "api/tenant/migrations/{}"), (HttpMethod.Get, "api/tenant/instances/{}/metadata"),
            (HttpMethod.Post, "api/tenant/instances/{}/metadata/rotate"),
            (HttpMethod.Get, "api/tenant/webhooks/{}"), (HttpMethod.Put, "api/tenant/webhooks/{}"), (HttpMethod.Delete, "api/tenant/webhooks/{}"),
            (HttpMethod.Post, "api/tenant/webhooks/{}/check"), (HttpMethod.Post, "api/tenant/webhooks/{}/enable"),
            (HttpMethod.Post, "api/tenant/webhooks/{}/disable"), (HttpMethod.Get, "api/tenant/webhooks/{}/secret"),
            (HttpMethod.Post, "api/tenant/webhooks/{}/secret/rotate"), (HttpMethod.Post, "api/tenant/webhooks/{}/test"),
            (HttpMethod.Get, "api/tenant/webhooks/{}/deliveries"), (HttpMethod.Post, "api/tenant/webhooks/{}/replay"),
            (HttpMethod.Post, $"api/tenant/webhooks/{endpointId}/deliveries/{{}}/replay"), (HttpMethod.Post, "api/tenant/webhooks/{}/deliveries/" + messageId + "/replay"),
            (HttpMethod.Get, "api/operator/maintenance/{}"), (HttpMethod.Post, "api/operator/maintenance/{}/cancel"),
            (HttpMethod.Post, "api/operator/maintenance/{}/complete"), (HttpMethod.Post, "api/operator/hosts/{}/maintenance"),
            (HttpMethod.Post, "api/operator/instances/{}/abort"), (HttpMethod.Post, "api/operator/instances/{}/force-complete"),
            (HttpMethod.Delete, "api/tenant/keys/{}"), (HttpMethod.Delete, "api/operator/keys/{}"),
        };
        foreach (var (method, template) in routes)
        {
            foreach (var id in new[]
                     {
                         "does-not-exist", "mv-0000000000000", "ep_00000000000000000000000000000000", "msg_" + Guid.Empty.ToString("N"),
                         maintenanceId + "x", new string('a', 65), new string('a', 5000), "%F0%9F%92%A5", "a%20b", "..%2F..", "%00",
                     })
            {
                yield return new Case(method, template.Replace("{}", id, StringComparison.Ordinal), "{}", null);
            }
        }

        static (string, JsonNode?[])[] EndpointFields() =>
        [
            ("url", [null, "", "not a url", "ftp://hooks.example.com/", "https://user:pw@hooks.example.com/", "https://hooks.example.com/#x",
                "http://169.254.169.254/latest/meta-data", "https://10.0.0.1/", "https://[fd00::1]/", "https://💥.example/" + new string('a', 3000), 123, true,
                new JsonObject(), new JsonArray()]),
            ("description", [new string('d', 201), 123, true, new JsonObject(), new JsonArray()]),
            ("eventTypes", [.. Lists(), new JsonArray("💥"), new JsonArray("com.nothing.*"), new JsonArray(""), new JsonArray(new string('x', 201)),
                new JsonArray([.. Enumerable.Range(0, 51).Select(i => (JsonNode)$"com.maintenanceportal.instance.*{i}")])]),
            ("instanceIds", [.. Lists(), new JsonArray(""), new JsonArray("i-not-mine"), new JsonArray("💥"),
                new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)$"i-{i:x16}")])]),
        ];

        // What is wrong for an enum field: numbers (defined ones too), a list of names, unknown names, other types.
        static JsonNode?[] WrongEnum(string name) =>
            [99, -1, 0, 1, "2", $"{name},{name}", "NotAName", "", " ", name + "\u0000", "💥", true, new JsonObject(), new JsonArray(), 1.5];

        // What is wrong for a list field: not a list, nulls and wrong types in it, a list too large to read.
        static JsonNode?[] Lists() =>
            ["x", 5, true, new JsonObject(), new JsonArray((JsonNode?)null), new JsonArray(123), new JsonArray(new JsonArray()),
                new JsonArray([.. Enumerable.Range(0, 100_000).Select(_ => (JsonNode)"x")])];

        static JsonObject Window(JsonNode? day = null, JsonNode? start = null, JsonNode? length = null) => new()
        {
            ["day"] = day ?? "Sunday", ["start"] = start ?? "02:00", ["length"] = length ?? "04:00:00",
        };

        static string Merge(JsonObject valid, string members) =>
            valid.Count == 0 ? "{" + members + "}" : valid.ToJsonString()[..^1] + "," + members + "}";
    }
}
