using System.Net;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Tests.Shared;
using MaintenancePortal.Contracts;
using MaintenancePortal.Webhooks.Endpoints;
using MaintenancePortal.Webhooks.Subscriptions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using WebhookReceiver;

namespace MaintenancePortal.Webhooks.Tests;

/// <summary>
/// Deliveries end to end through the endpoint grain, the real sender and a real Kestrel receiver
/// on 127.0.0.1. Each test has a cluster and a fake clock of its own, moved to each next step of the
/// schedule; attempts themselves are real HTTP. What must not happen is asserted from the endpoint's
/// own account (nothing waits, or the next attempt is still ahead), not after a sleep.
/// </summary>
public sealed class WebhookDeliveryTests : IAsyncLifetime
{
    private readonly WebhookCluster fixture = new();

    public ValueTask InitializeAsync() => fixture.InitializeAsync();

    public ValueTask DisposeAsync() => fixture.DisposeAsync();

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly string[] Known = ["com.maintenanceportal.host.drained", "com.maintenanceportal.instance.migration.completed"];

    [Fact]
    public async Task A_receiver_that_fails_three_times_then_recovers_gets_the_message_once_acknowledged_with_the_same_id()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, before) => before < 3 ? Results.StatusCode(500) : Results.NoContent();
        var (endpoint, secret) = await EnabledEndpointAsync(receiver);
        var message = Message("h-1");

        Assert.Equal(1, await endpoint.EnqueueAsync([message]));
        await PostsAsync(receiver, 1);
        foreach (var (step, posts) in new[] { (TimeSpan.FromSeconds(5), 2), (TimeSpan.FromMinutes(5), 3), (TimeSpan.FromMinutes(30), 4) })
        {
            await SettledAsync(endpoint);
            fixture.Clock.Advance(step * 0.99);
            await NothingDueAsync(endpoint); // not before its time
            Assert.Equal(posts - 1, receiver.Posts.Count());
            fixture.Clock.Advance(step * 0.12);
            await PostsAsync(receiver, posts);
        }

        await Eventually.HoldsAsync(async () => (await endpoint.GetDeliveriesAsync()).Finished.Any(m => m.MessageId == message.MessageId), Wait);
        var log = await endpoint.GetDeliveriesAsync();
        Assert.Equal(MessageStatus.Delivered, log.Finished.Single(m => m.MessageId == message.MessageId).Status);
        Assert.Equal([500, 500, 500, 204], log.Attempts.Where(a => a.MessageId == message.MessageId).Select(a => a.StatusCode));

        Assert.All(receiver.Posts, post =>
        {
            Assert.Equal(message.MessageId, post.Header("webhook-id"));
            Assert.Equal(message.Body, post.Body);
            var verifier = new WebhookVerifier([secret], new FakeTimeProvider(post.ReceivedAt));
            Assert.Null(verifier.Check(post.Header("webhook-id"), post.Header("webhook-timestamp"), post.Header("webhook-signature"), post.Body));
        });

        fixture.Clock.Advance(TimeSpan.FromHours(30));
        Assert.Null((await endpoint.GetAsync())!.NextAttemptAt); // nothing waits: nothing more can be sent
        Assert.Equal(4, receiver.Posts.Count());
    }

    [Fact]
    public async Task A_backlog_behind_a_receiver_that_is_away_is_delivered_in_full_once_it_is_back()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        var away = true;
        receiver.Respond = (_, _) => away ? Results.StatusCode(503) : Results.NoContent();
        var (endpoint, _) = await EnabledEndpointAsync(receiver);
        var messages = Enumerable.Range(0, 700).Select(i => Message($"h-{i}")).ToList();

        foreach (var batch in messages.Chunk(100))
        {
            Assert.Equal(100, await endpoint.EnqueueAsync(batch));
        }

        Assert.Equal(700, (await endpoint.GetAsync())!.Waiting);
        Assert.True((await endpoint.GetDeliveriesAsync()).Pending.Count <= 64, "The endpoint's own state holds a bounded window.");
        await PostsAsync(receiver, 16);

        away = false;
        fixture.Clock.Advance(TimeSpan.FromSeconds(6));
        await Eventually.HoldsAsync(() => Task.FromResult(messages.All(m => receiver.Posts.Any(p => p.Header("webhook-id") == m.MessageId))),
            TimeSpan.FromSeconds(60), () => $"{receiver.Posts.Select(p => p.Header("webhook-id")).Distinct().Count()} of 700 arrived.");
        await Eventually.HoldsAsync(async () => (await endpoint.GetAsync())!.Waiting == 0, Wait);
        // Only the messages tried while the receiver was away came twice; the backlog behind them came once.
        Assert.InRange(receiver.Posts.Count(), 700, 700 + 64);
    }

    [Fact]
    public async Task Messages_refused_while_no_reminder_can_be_set_are_taken_in_full_when_sent_again()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, _) => Results.NoContent();
        var (endpoint, _) = await EnabledEndpointAsync(receiver);
        var messages = new[] { Message("h-1"), Message("h-2") };
        fixture.RemindersFail = true;
        try
        {
            // Refused as a whole (the bus consumer retries): nothing is half-taken, nothing is sent.
            await Assert.ThrowsAnyAsync<Exception>(() => endpoint.EnqueueAsync(messages));
            Assert.Equal(0, (await endpoint.GetAsync())!.Waiting);
        }
        finally
        {
            fixture.RemindersFail = false;
        }

        Assert.Equal(2, await endpoint.EnqueueAsync(messages));
        await PostsAsync(receiver, 2);
        Assert.Equal(messages.Select(m => m.MessageId).Order(), receiver.Posts.Select(p => p.Header("webhook-id")).Order());
    }

    [Fact]
    public async Task Gone_disables_the_endpoint_abandons_what_waits_and_tells_the_tenant()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, _) => Results.StatusCode(410);
        var (endpoint, _) = await EnabledEndpointAsync(receiver);

        await endpoint.EnqueueAsync([Message("h-1")]);

        await Eventually.HoldsAsync(async () => (await endpoint.GetAsync())!.Endpoint.Status == EndpointStatus.Disabled, Wait);
        var overview = (await endpoint.GetAsync())!;
        Assert.Contains("410", overview.Endpoint.StatusReason, StringComparison.Ordinal);
        Assert.Contains(overview.Notices, n => n.Text.Contains("disabled", StringComparison.Ordinal));
        Assert.Equal(0, await endpoint.EnqueueAsync([Message("h-2")]));
        Assert.Single(receiver.Posts);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, before) => before == 0
            ? new RetryAfter(HttpStatusCode.ServiceUnavailable, TimeSpan.FromMinutes(2))
            : Results.Ok();
        var (endpoint, _) = await EnabledEndpointAsync(receiver);

        await endpoint.EnqueueAsync([Message("h-1")]);
        await PostsAsync(receiver, 1);
        await SettledAsync(endpoint);

        fixture.Clock.Advance(TimeSpan.FromSeconds(90)); // past the 5 s step, before the asked 2 minutes
        await NothingDueAsync(endpoint);
        Assert.Single(receiver.Posts);

        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await PostsAsync(receiver, 2);
    }

    [Fact]
    public async Task A_message_failing_every_attempt_is_exhausted_after_the_schedule_and_the_tenant_told()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, _) => Results.StatusCode(502);
        var (endpoint, _) = await EnabledEndpointAsync(receiver);
        var message = Message("h-1");

        await endpoint.EnqueueAsync([message]);
        for (var posts = 1; posts <= RetrySchedule.MaxAttempts; posts++)
        {
            await PostsAsync(receiver, posts);
            fixture.Clock.Advance(TimeSpan.FromHours(11));
        }

        await Eventually.HoldsAsync(async () => (await endpoint.GetDeliveriesAsync()).Finished.Any(m => m.Status == MessageStatus.Exhausted), Wait);
        Assert.Contains((await endpoint.GetAsync())!.Notices, n => n.Text.Contains(message.MessageId, StringComparison.Ordinal));
        Assert.Equal(RetrySchedule.MaxAttempts, receiver.Posts.Count());
    }

    [Fact]
    public async Task An_endpoint_failing_for_five_days_without_a_delivery_is_disabled_and_the_tenant_told()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, _) => Results.StatusCode(500);
        var (endpoint, _) = await EnabledEndpointAsync(receiver);

        // A new event each day for four days: every attempt fails, none is delivered.
        for (var day = 0; day < 5; day++)
        {
            var message = Message($"h-{day}");
            await endpoint.EnqueueAsync([message]);
            await Eventually.HoldsAsync(() => Task.FromResult(receiver.Posts.Any(p => p.Header("webhook-id") == message.MessageId)), Wait);
            Assert.Equal(EndpointStatus.Enabled, (await endpoint.GetAsync())!.Endpoint.Status);
            fixture.Clock.Advance(TimeSpan.FromDays(1)); // the retries due by then fail too
            await SettledAsync(endpoint);
        }

        // Five days after the first failure, the next failed attempt disables the endpoint.
        await Eventually.HoldsAsync(async () => (await endpoint.GetAsync())!.Endpoint.Status == EndpointStatus.Disabled, Wait);
        var overview = (await endpoint.GetAsync())!;
        Assert.Contains("5 days", overview.Endpoint.StatusReason, StringComparison.Ordinal);
        Assert.Contains(overview.Notices, n => n.Text.Contains("Endpoint disabled", StringComparison.Ordinal));
    }

    [Fact]
    public async Task During_a_rotation_each_message_carries_both_signatures_and_either_secret_verifies_it()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        var (endpoint, oldSecret) = await EnabledEndpointAsync(receiver);
        var rotated = await endpoint.RotateSecretAsync();

        await endpoint.EnqueueAsync([Message("h-1")]);
        await PostsAsync(receiver, 1);

        var post = receiver.Posts.Single();
        Assert.Equal(2, post.Header("webhook-signature")!.Split(' ').Length);
        foreach (var secret in new[] { oldSecret, rotated.Endpoint.CurrentSecret.Value })
        {
            Assert.Null(new WebhookVerifier([secret], fixture.Clock)
                .Check(post.Header("webhook-id"), post.Header("webhook-timestamp"), post.Header("webhook-signature"), post.Body));
        }
    }

    [Fact]
    public async Task The_registration_check_passes_with_the_handshake()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (request, _) => request.Method == "OPTIONS"
            ? new AllowOrigin(request.Header("WebHook-Request-Origin")!)
            : Results.StatusCode(500);

        var endpoint = await NewEndpointAsync(receiver);
        var checkedEndpoint = await endpoint.CheckAsync();

        Assert.Equal(EndpointStatus.Enabled, checkedEndpoint.Endpoint.Status);
        Assert.Equal("webhooks.maintenanceportal.local", receiver.Received.Single().Header("WebHook-Request-Origin"));
    }

    [Fact]
    public async Task The_registration_check_passes_with_a_signed_test_event_when_there_is_no_handshake()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (request, _) => request.Method == "OPTIONS" ? Results.StatusCode(405) : Results.NoContent();

        var endpoint = await NewEndpointAsync(receiver);
        var checkedEndpoint = await endpoint.CheckAsync();

        Assert.Equal(EndpointStatus.Enabled, checkedEndpoint.Endpoint.Status);
        var test = receiver.Posts.Single();
        Assert.Contains(WebhookPayload.TestEventType, test.Body, StringComparison.Ordinal);
        Assert.Null(new WebhookVerifier([checkedEndpoint.Endpoint.CurrentSecret.Value], fixture.Clock)
            .Check(test.Header("webhook-id"), test.Header("webhook-timestamp"), test.Header("webhook-signature"), test.Body));
    }

    [Fact]
    public async Task A_receiver_that_fails_the_registration_check_stays_off_and_says_why()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        receiver.Respond = (_, _) => Results.StatusCode(404);

        var endpoint = await NewEndpointAsync(receiver);
        var checkedEndpoint = await endpoint.CheckAsync();

        Assert.Equal(EndpointStatus.Unverified, checkedEndpoint.Endpoint.Status);
        Assert.Contains("404", checkedEndpoint.Endpoint.StatusReason, StringComparison.Ordinal);
        Assert.Equal(0, await endpoint.EnqueueAsync([Message("h-1")]));
        await Assert.ThrowsAsync<DomainException>(() => endpoint.SetEnabledAsync(true));
    }

    [Fact]
    public async Task A_replayed_message_is_sent_again_with_the_same_id()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        var (endpoint, _) = await EnabledEndpointAsync(receiver);
        var message = Message("h-1");
        await endpoint.EnqueueAsync([message]);
        await Eventually.HoldsAsync(async () => (await endpoint.GetDeliveriesAsync()).Finished.Any(m => m.MessageId == message.MessageId), Wait);

        await endpoint.ReplayAsync(message.MessageId);

        await PostsAsync(receiver, 2);
        Assert.All(receiver.Posts, p => Assert.Equal(message.MessageId, p.Header("webhook-id")));
    }

    [Fact]
    public async Task A_test_event_goes_to_an_enabled_endpoint_whatever_its_filters()
    {
        await using var receiver = await TestReceiver.StartAsync(fixture.Clock);
        var (endpoint, _) = await EnabledEndpointAsync(receiver, instances: ["i-only"]);

        var id = await endpoint.SendTestEventAsync();

        await PostsAsync(receiver, 1);
        Assert.Equal(id, receiver.Posts.Single().Header("webhook-id"));
        Assert.Equal(0, await endpoint.EnqueueAsync([Message("h-1")]));
    }

    [Fact]
    public async Task Events_fan_out_to_the_tenants_endpoints_that_select_them_once_each()
    {
        await using var hosts = await TestReceiver.StartAsync(fixture.Clock);
        await using var oneInstance = await TestReceiver.StartAsync(fixture.Clock);
        await using var otherTenant = await TestReceiver.StartAsync(fixture.Clock);
        var endpoints = new[]
        {
            await SubscribeAsync("tenant-d", hosts, types: ["*.drained"]),
            await SubscribeAsync("tenant-d", oneInstance, instances: ["i-7"]),
            await SubscribeAsync("tenant-e", otherTenant),
        };
        var tenantD = fixture.Grains.GetGrain<IWebhookSubscriptionsGrain>("tenant-d");

        var drained = WebhookPayload.MessageOf(new HostDrained(Guid.NewGuid(), fixture.Clock.GetUtcNow(), "tenant-d", "mnt-1", "h-1", 2),
            fixture.Clock.GetUtcNow());
        Assert.Equal(1, await tenantD.DispatchAsync([drained]));
        Assert.Equal(1, await tenantD.DispatchAsync([drained])); // the bus delivered it again
        var completed = WebhookPayload.MessageOf(new InstanceMigrationCompleted(Guid.NewGuid(), fixture.Clock.GetUtcNow(), "tenant-d",
            "mnt-1", "mv-1", "i-7", "10.0.0.7", "h-1", "h-2", 40, TimeSpan.FromSeconds(3), 2, 100, "PreCopy", 0), fixture.Clock.GetUtcNow());
        Assert.Equal(1, await tenantD.DispatchAsync([completed]));

        await PostsAsync(hosts, 1);
        await PostsAsync(oneInstance, 1);
        // Nothing waits at any endpoint any more: every post there will be is in.
        await Eventually.HoldsAsync(async () => (await Task.WhenAll(endpoints.Select(e => e.GetAsync()))).All(o => o!.Waiting == 0), Wait);
        Assert.Equal([drained.MessageId], hosts.Posts.Select(p => p.Header("webhook-id")));
        Assert.Equal([completed.MessageId], oneInstance.Posts.Select(p => p.Header("webhook-id")));
        Assert.Empty(otherTenant.Posts);
    }

    private async Task<IWebhookEndpointGrain> SubscribeAsync(string tenantId, TestReceiver receiver, string[]? types = null, string[]? instances = null)
    {
        var id = WebhookEndpoint.NewId();
        var endpoint = fixture.Grains.GetGrain<IWebhookEndpointGrain>(WebhookEndpointKey.Of(tenantId, id));
        await endpoint.CreateAsync(EndpointSettings.Create(receiver.Url, "test", EventTypeFilter.Parse(types, Known), instances));
        await fixture.Grains.GetGrain<IWebhookSubscriptionsGrain>(tenantId).AddAsync(id);
        Assert.Equal(EndpointStatus.Enabled, (await endpoint.CheckAsync()).Endpoint.Status);
        receiver.Forget();
        return endpoint;
    }

    private async Task<IWebhookEndpointGrain> NewEndpointAsync(TestReceiver receiver, string[]? instances = null)
    {
        var endpoint = fixture.Grains.GetGrain<IWebhookEndpointGrain>(WebhookEndpointKey.Of("tenant-a", WebhookEndpoint.NewId()));
        await endpoint.CreateAsync(EndpointSettings.Create(receiver.Url, "test", EventTypeFilter.Parse(null, Known), instances));
        return endpoint;
    }

    /// <summary>An endpoint that passed the check (with the test event), the check's request cleared from the receiver.</summary>
    private async Task<(IWebhookEndpointGrain Endpoint, string Secret)> EnabledEndpointAsync(TestReceiver receiver, string[]? instances = null)
    {
        var respond = receiver.Respond;
        receiver.Respond = (_, _) => Results.NoContent();
        var endpoint = await NewEndpointAsync(receiver, instances);
        var overview = await endpoint.CheckAsync();
        Assert.Equal(EndpointStatus.Enabled, overview.Endpoint.Status);
        receiver.Forget();
        receiver.Respond = respond;
        return (endpoint, overview.Endpoint.CurrentSecret.Value);
    }

    private WebhookMessage Message(string subject) =>
        WebhookMessage.Create(Guid.NewGuid(), Known[0], subject, $$"""{"subject":"{{subject}}"}""", fixture.Clock.GetUtcNow());

    /// <summary>Every attempt that was due has been made and its result recorded: the next one, if any, is still ahead.</summary>
    private Task SettledAsync(IWebhookEndpointGrain endpoint) =>
        Eventually.HoldsAsync(async () => (await endpoint.GetAsync())!.NextAttemptAt is not { } next || next > fixture.Clock.GetUtcNow(), Wait);

    /// <summary>The endpoint's next attempt is still ahead of the clock: nothing is sent now.</summary>
    private async Task NothingDueAsync(IWebhookEndpointGrain endpoint) =>
        Assert.True((await endpoint.GetAsync())!.NextAttemptAt > fixture.Clock.GetUtcNow(), "An attempt is due before its time.");

    private static Task PostsAsync(TestReceiver receiver, int count) =>
        Eventually.HoldsAsync(() => Task.FromResult(receiver.Posts.Count() >= count), Wait,
            () => $"The receiver got {receiver.Posts.Count()} posts, not {count}.");

    private sealed class RetryAfter(HttpStatusCode status, TimeSpan after) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = (int)status;
            httpContext.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        }
    }

    private sealed class AllowOrigin(string origin) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers["WebHook-Allowed-Origin"] = origin;
            return Task.CompletedTask;
        }
    }
}
