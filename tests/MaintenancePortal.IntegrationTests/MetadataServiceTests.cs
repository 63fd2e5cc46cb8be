using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using MaintenancePortal.Tests.Shared;
using ScheduledEventsAgent;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// Software inside an instance learns about its maintenance as it does at Azure and AWS: the sample
/// agent written to Azure's Scheduled Events documentation, and the AWS SDK's own IMDS client, each
/// pointed at the instance's metadata address and nothing else changed.
/// </summary>
public sealed partial class MetadataServiceTests
{
    private const string Tenant = "tailspin";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The AWS SDK's client (<c>infra/imds/aws-client.mjs</c> beside its node_modules), installed by ./test.sh.</summary>
    private static string AwsClient => Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_AWS_IMDS_CLIENT")
                                       ?? throw new InvalidOperationException(
                                           "MAINTENANCEPORTAL_AWS_IMDS_CLIENT is not set: run the tests with ./test.sh, which installs the AWS SDK's IMDS client.");

    [GeneratedRegex(@"^\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")]
    private static partial Regex AwsTime();

    /// <summary>What the AWS SDK's client reads at <paramref name="which"/> (scheduled, history), or its error.</summary>
    private static async Task<(int Exit, string Output)> AwsSdkAsync(string baseAddress, string which)
    {
        using var node = Process.Start(new ProcessStartInfo("node", [AwsClient, baseAddress, which])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = node.StandardOutput.ReadToEndAsync(Ct);
        var error = node.StandardError.ReadToEndAsync(Ct);
        await node.WaitForExitAsync(Ct);
        return (node.ExitCode, node.ExitCode == 0 ? await output : await error);
    }

    [Fact]
    public async Task Agents_for_azure_and_aws_see_the_move_approve_it_and_see_it_done_and_nothing_leaks_to_another_tenant()
    {
        await using var server = await PortalServer.StartAsync(Ct);
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync($"tenant:{Tenant}", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        var (_, moves) = await WaitingMoves.StartAsync(tenant, operatorClient, $"h-{Tenant}-01", Ct);
        var move = moves[0];
        var moveId = move.GetProperty("moveId").GetString()!;
        var instanceId = move.GetProperty("instanceId").GetString()!;
        var baseAddress = (await tenant.GetJsonAsync($"api/tenant/instances/{instanceId}/metadata", Ct)).GetProperty("baseAddress").GetString()!;
        Assert.StartsWith(server.BaseAddress + "imds/", baseAddress, StringComparison.Ordinal);

        // Azure: the agent's first poll gets the document, the next one a 304 while nothing changes.
        using var http = new HttpClient();
        var agent = new ScheduledEventsClient(http, new Uri(baseAddress));
        var document = await agent.PollAsync(Ct) ?? throw new InvalidOperationException("No document at first.");
        var scheduled = Assert.Single(document.Events);
        Assert.Equal(moveId, scheduled.EventId);
        Assert.Contains(scheduled.EventType, new[] { "Freeze", "Redeploy" });
        Assert.Equal(("VirtualMachine", "Scheduled", "Platform"), (scheduled.ResourceType, scheduled.EventStatus, scheduled.EventSource));
        Assert.Equal([move.GetProperty("instanceName").GetString()!], scheduled.Resources);
        Assert.Equal(move.GetProperty("notBefore").GetDateTimeOffset(), DateTimeOffset.Parse(scheduled.NotBefore), TimeSpan.FromSeconds(1));
        Assert.True(scheduled.DurationInSeconds >= 1, $"DurationInSeconds {scheduled.DurationInSeconds}");
        Assert.Null(await agent.PollAsync(Ct));

        // What Azure refuses: no Metadata header, an api-version it does not know.
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync($"{baseAddress}/metadata/scheduledevents?api-version=2020-07-01", Ct)).StatusCode);
        using var badVersion = new HttpRequestMessage(HttpMethod.Get, $"{baseAddress}/metadata/scheduledevents?api-version=1999-01-01");
        badVersion.Headers.Add("Metadata", "true");
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(badVersion, Ct)).StatusCode);

        // AWS: the SDK's own client (token PUT at the root of the host, then the GET under the address).
        var (exit, output) = await AwsSdkAsync(baseAddress, "scheduled");
        Assert.True(exit == 0, output);
        var awsEvent = Assert.Single(JsonSerializer.Deserialize<JsonElement>(output).EnumerateArray());
        Assert.Equal(moveId, awsEvent.GetProperty("EventId").GetString());
        Assert.Equal("active", awsEvent.GetProperty("State").GetString());
        Assert.Contains(awsEvent.GetProperty("Code").GetString(), new[] { "system-maintenance", "system-reboot" });
        foreach (var field in new[] { "NotBefore", "NotAfter", "NotBeforeDeadline" })
        {
            Assert.Matches(AwsTime(), awsEvent.GetProperty(field).GetString()!);
        }

        // IMDSv2's rules: no session token, 401; no TTL, 400; a forwarded PUT, 403.
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync($"{baseAddress}/latest/meta-data/events/maintenance/scheduled", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PutAsync($"{server.BaseAddress}latest/api/token", null, Ct)).StatusCode);
        using var forwarded = new HttpRequestMessage(HttpMethod.Put, $"{server.BaseAddress}latest/api/token");
        forwarded.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "60");
        forwarded.Headers.Add("X-Forwarded-For", "203.0.113.9");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(forwarded, Ct)).StatusCode);

        // An event that is not this instance's cannot be approved from it, and nothing changes.
        using var foreign = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{baseAddress}/metadata/scheduledevents?api-version=2020-07-01")
        {
            Headers = { { "Metadata", "true" } },
            Content = new StringContent("""{"StartRequests":[{"EventId":"mv-000000000000"}]}""", System.Text.Encoding.UTF8, "application/json"),
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        // Not JSON, and said to be something else: a 400 as well, not a failure of the server.
        using var notJson = await http.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"{baseAddress}/metadata/scheduledevents?api-version=2020-07-01")
        {
            Headers = { { "Metadata", "true" } },
            Content = new StringContent("StartRequests=" + moveId, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Null(await agent.PollAsync(Ct));

        // The agent approves: the move starts at once, the document changes, and once done the event is gone.
        await agent.ApproveAsync([moveId], Ct);
        var incarnations = new List<int> { document.DocumentIncarnation };
        await Eventually.HoldsAsync(async () =>
        {
            if (await agent.PollAsync(Ct) is { } changed)
            {
                incarnations.Add(changed.DocumentIncarnation);
                document = changed;
            }

            return document.Events.Count == 0;
        }, TimeSpan.FromSeconds(90), () => $"The event did not end: {JsonSerializer.Serialize(document)}");
        Assert.Equal(incarnations.Order(), incarnations);
        Assert.Equal(incarnations.Count, incarnations.Distinct().Count());
        var history = await AwsSdkAsync(baseAddress, "history");
        Assert.True(history.Exit == 0, history.Output);
        var done = Assert.Single(JsonSerializer.Deserialize<JsonElement>(history.Output).EnumerateArray());
        Assert.Equal((moveId, "completed"), (done.GetProperty("EventId").GetString(), done.GetProperty("State").GetString()));
        Assert.Equal("Completed", (await tenant.GetJsonAsync($"api/tenant/migrations/{moveId}", Ct)).GetProperty("state").GetString());
        var approvals = (await tenant.GetJsonAsync("api/tenant/audit?action=move.approve", Ct)).GetProperty("entries").EnumerateArray().ToList();
        Assert.Contains(approvals, e => e.GetProperty("actorKind").GetString() == "Instance" && e.GetProperty("actorId").GetString() == instanceId
                                        && e.GetProperty("target").GetString() == moveId);

        // Another tenant: not its instance, not its move, nothing said about either.
        using var other = new PortalHttpClient(server.BaseAddress);
        await other.SignInAsync("tenant:fabrikam", Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"api/tenant/instances/{instanceId}/metadata", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"api/tenant/migrations/{moveId}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostJsonAsync($"api/tenant/instances/{instanceId}/metadata/rotate", new { }, Ct)).StatusCode);

        // A new address: the old one answers 404 and nothing else; so do made-up and malformed ones.
        using var rotated = await tenant.PostJsonAsync($"api/tenant/instances/{instanceId}/metadata/rotate", new { }, Ct);
        var newAddress = JsonSerializer.Deserialize<JsonElement>(await rotated.Content.ReadAsStringAsync(Ct)).GetProperty("baseAddress").GetString()!;
        Assert.NotEqual(baseAddress, newAddress);
        Assert.NotNull(await new ScheduledEventsClient(http, new Uri(newAddress)).PollAsync(Ct));
        var madeUp = $"{server.BaseAddress}imds/{Convert.ToBase64String(new byte[32]).TrimEnd('=').Replace('+', '-').Replace('/', '_')}";
        foreach (var gone in new[] { baseAddress, madeUp, $"{server.BaseAddress}imds/not-a-token" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"{gone}/metadata/scheduledevents?api-version=2020-07-01") { Headers = { { "Metadata", "true" } } };
            using var answer = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Empty(await answer.Content.ReadAsStringAsync(Ct));
        }
    }
}
