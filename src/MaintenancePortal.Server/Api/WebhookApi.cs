using System.Security.Claims;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// The tenant's webhook endpoints in the REST API, under <c>/api/tenant/webhooks</c>. The tenant is
/// the caller's own; another tenant's endpoint id is answered 404, like one that never existed.
/// </summary>
public static class WebhookApi
{
    public static IEndpointRouteBuilder MapWebhookApi(this IEndpointRouteBuilder endpoints)
    {
        var webhooks = endpoints.MapGroup("/api/tenant/webhooks").RequireAuthorization(PortalClaims.TenantPolicy);
        webhooks.MapGet("/event-types", (ITenantWebhooks hooks) => hooks.EventTypes.Order(StringComparer.Ordinal));
        webhooks.MapGet("/", async (ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            (await hooks.ListAsync(PortalClaims.TenantIdOf(user), ct)).Select(WebhookEndpointResponse.Of));
        webhooks.MapPost("/", CreateAsync);
        webhooks.MapGet("/{endpointId:id}", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            WebhookEndpointResponse.Of(await hooks.GetAsync(PortalClaims.TenantIdOf(user), endpointId, ct)));
        webhooks.MapPut("/{endpointId:id}", async (string endpointId, WebhookEndpointRequest request, ClaimsPrincipal user,
            ITenantWebhooks hooks, CancellationToken ct) =>
            WebhookEndpointResponse.Of(await hooks.UpdateAsync(PortalClaims.TenantIdOf(user), endpointId, request, ct)));
        webhooks.MapDelete("/{endpointId:id}", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
        {
            await hooks.DeleteAsync(PortalClaims.TenantIdOf(user), endpointId, ct);
            return TypedResults.NoContent();
        });
        webhooks.MapPost("/{endpointId:id}/check", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            WebhookEndpointResponse.Of(await hooks.CheckAsync(PortalClaims.TenantIdOf(user), endpointId, ct)));
        webhooks.MapPost("/{endpointId:id}/enable", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            WebhookEndpointResponse.Of(await hooks.SetEnabledAsync(PortalClaims.TenantIdOf(user), endpointId, true, ct)));
        webhooks.MapPost("/{endpointId:id}/disable", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            WebhookEndpointResponse.Of(await hooks.SetEnabledAsync(PortalClaims.TenantIdOf(user), endpointId, false, ct)));
        webhooks.MapGet("/{endpointId:id}/secret", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            SecretsResponse.Of(await hooks.GetSecretsAsync(PortalClaims.TenantIdOf(user), endpointId, ct)));
        webhooks.MapPost("/{endpointId:id}/secret/rotate", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks,
            CancellationToken ct) =>
        {
            var tenantId = PortalClaims.TenantIdOf(user);
            await hooks.RotateSecretAsync(tenantId, endpointId, ct);
            return SecretsResponse.Of(await hooks.GetSecretsAsync(tenantId, endpointId, ct));
        });
        webhooks.MapPost("/{endpointId:id}/test", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken ct) =>
            TypedResults.Accepted($"/api/tenant/webhooks/{endpointId:id}/deliveries",
                new MessageQueued(await hooks.SendTestEventAsync(PortalClaims.TenantIdOf(user), endpointId, ct))));
        webhooks.MapGet("/{endpointId:id}/deliveries", async (string endpointId, ClaimsPrincipal user, ITenantWebhooks hooks,
            CancellationToken ct) => DeliveriesResponse.Of(await hooks.GetDeliveriesAsync(PortalClaims.TenantIdOf(user), endpointId, ct)));
        webhooks.MapPost("/{endpointId:id}/deliveries/{messageId:id}/replay", async (string endpointId, string messageId, ClaimsPrincipal user,
            ITenantWebhooks hooks, CancellationToken ct) =>
        {
            await hooks.ReplayAsync(PortalClaims.TenantIdOf(user), endpointId, messageId, ct);
            return TypedResults.Accepted($"/api/tenant/webhooks/{endpointId:id}/deliveries", new MessageQueued(messageId));
        });
        webhooks.MapPost("/{endpointId:id}/replay", ReplaySinceAsync);
        return endpoints;
    }

    /// <summary>Body of a replay of everything since a time.</summary>
    public sealed record ReplayRequest(DateTimeOffset? Since, bool FailedOnly = false);

    public sealed record MessageQueued(string MessageId);

    public sealed record ReplayQueued(int Replayed);

    /// <summary>An endpoint as the API shows it; the secret has its own resource.</summary>
    public sealed record WebhookEndpointResponse(
        string Id,
        string Url,
        string Description,
        IReadOnlyList<string> EventTypes,
        IReadOnlyList<string> InstanceIds,
        EndpointStatus Status,
        string? StatusReason,
        DateTimeOffset CreatedAt,
        DateTimeOffset? FailingSince,
        DateTimeOffset? LastDeliveredAt,
        int Waiting,
        DateTimeOffset? NextAttemptAt,
        IReadOnlyList<WebhookNotice> Notices)
    {
        public static WebhookEndpointResponse Of(EndpointOverview overview)
        {
            var e = overview.Endpoint;
            return new(e.EndpointId, e.Settings.Url.AbsoluteUri, e.Settings.Description, e.Settings.EventTypes.Patterns,
                e.Settings.InstanceIds, e.Status, e.StatusReason, e.CreatedAt, e.FailingSince, e.LastDeliveredAt,
                overview.Waiting, overview.NextAttemptAt, overview.Notices);
        }
    }

    /// <summary>The signing secrets: the current one, and the one it replaced while it still signs.</summary>
    public sealed record SecretsResponse(string Secret, string? PreviousSecret, DateTimeOffset? PreviousValidUntil)
    {
        public static SecretsResponse Of(IReadOnlyList<WebhookSecret> secrets) =>
            new(secrets[0].Value, secrets.Count > 1 ? secrets[1].Value : null, secrets.Count > 1 ? secrets[1].ExpiresAt : null);
    }

    /// <summary>The delivery log: messages waiting, finished messages (newest first), attempts (newest first).</summary>
    public sealed record DeliveriesResponse(
        IReadOnlyList<WebhookMessage> Waiting,
        IReadOnlyList<WebhookMessage> Finished,
        IReadOnlyList<DeliveryAttempt> Attempts)
    {
        public static DeliveriesResponse Of(EndpointDeliveries deliveries) =>
            new(deliveries.Pending, [.. Enumerable.Reverse(deliveries.Finished)], [.. Enumerable.Reverse(deliveries.Attempts)]);
    }

    private static async Task<Created<WebhookEndpointResponse>> CreateAsync(WebhookEndpointRequest request,
        ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken cancellationToken)
    {
        var created = WebhookEndpointResponse.Of(await hooks.CreateAsync(PortalClaims.TenantIdOf(user), request, cancellationToken));
        return TypedResults.Created($"/api/tenant/webhooks/{created.Id}", created);
    }

    private static async Task<Accepted<ReplayQueued>> ReplaySinceAsync(string endpointId, ReplayRequest request,
        ClaimsPrincipal user, ITenantWebhooks hooks, CancellationToken cancellationToken)
    {
        var since = RequestBody.Required(request.Since, "since", "Give the time to replay from as an ISO 8601 time.");
        return TypedResults.Accepted($"/api/tenant/webhooks/{endpointId}/deliveries",
            new ReplayQueued(await hooks.ReplaySinceAsync(PortalClaims.TenantIdOf(user), endpointId, since, request.FailedOnly, cancellationToken)));
    }
}
