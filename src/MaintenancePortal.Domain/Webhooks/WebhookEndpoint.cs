using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>Whether an endpoint receives messages.</summary>
public enum EndpointStatus
{
    /// <summary>Not yet shown to answer at its URL; it receives nothing until it is.</summary>
    Unverified,

    /// <summary>Receives the events its filters select.</summary>
    Enabled,

    /// <summary>Turned off by the tenant, by a 410 answer, or after failing for days.</summary>
    Disabled,
}

/// <summary>What a tenant sets on an endpoint.</summary>
/// <param name="InstanceIds">Only events about these instances; empty for every event the type filter selects.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.EndpointSettings")]
public sealed record EndpointSettings(
    [property: Id(0)] Uri Url,
    [property: Id(1)] string Description,
    [property: Id(2)] EventTypeFilter EventTypes,
    [property: Id(3)] ImmutableList<string> InstanceIds)
{
    public const int MaxDescriptionLength = 200;
    public const int MaxInstanceIds = 100;

    public static EndpointSettings Create(Uri url, string? description, EventTypeFilter eventTypes, IEnumerable<string>? instanceIds)
    {
        description = description?.Trim() ?? "";
        if (description.Length > MaxDescriptionLength)
        {
            throw new InvalidRequestException("description", $"A description has at most {MaxDescriptionLength} characters.");
        }

        var given = (instanceIds ?? []).ToList();
        if (given.FindIndex(id => id is not { Length: > 0 }) is var blank and >= 0)
        {
            throw new InvalidRequestException($"instanceIds[{blank}]", "Name an instance by its id.");
        }

        var instances = given.Distinct(StringComparer.Ordinal).ToImmutableList();
        if (instances.Count > MaxInstanceIds)
        {
            throw new InvalidRequestException("instanceIds", $"An endpoint can name at most {MaxInstanceIds} instances.");
        }

        return new EndpointSettings(url, description, eventTypes, instances);
    }
}

/// <summary>
/// A tenant's webhook endpoint: where messages go, which events it takes, the secrets that sign
/// them, and whether it is enabled. Immutable: each change returns the next value.
/// </summary>
/// <param name="VerifiedUrl">The URL the registration check last succeeded for; the endpoint can be enabled only for it.</param>
/// <param name="FailingSince">The first failed attempt since the last delivery; null while deliveries succeed.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.WebhookEndpoint")]
public sealed record WebhookEndpoint(
    [property: Id(0)] string EndpointId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] EndpointSettings Settings,
    [property: Id(3)] EndpointStatus Status,
    [property: Id(4)] string? StatusReason,
    [property: Id(5)] ImmutableList<WebhookSecret> Secrets,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] string? VerifiedUrl,
    [property: Id(8)] DateTimeOffset? FailingSince,
    [property: Id(9)] DateTimeOffset? LastDeliveredAt)
{
    public const string IdPrefix = "ep_";

    /// <summary>How long a replaced secret keeps signing, so receivers can switch without losing a message.</summary>
    public static readonly TimeSpan RotationGrace = TimeSpan.FromHours(24);

    /// <summary>An endpoint failing this long without one delivery is disabled.</summary>
    public static readonly TimeSpan FailureLimit = TimeSpan.FromDays(5);

    public static string NewId() => IdPrefix + Guid.NewGuid().ToString("N");

    /// <summary>Whether the text has the form of an endpoint id (anything else is unknown without a lookup).</summary>
    public static bool IsWellFormedId(string? id) =>
        id is { Length: 35 } && id.StartsWith(IdPrefix, StringComparison.Ordinal) && id[3..].All(char.IsAsciiHexDigitLower);

    /// <summary>A new endpoint with a new secret. It receives nothing until the registration check passes.</summary>
    public static WebhookEndpoint Create(string endpointId, string tenantId, EndpointSettings settings, DateTimeOffset now) =>
        new(endpointId, tenantId, settings, EndpointStatus.Unverified, "Waiting for the registration check.",
            [WebhookSecret.Generate(now)], now, null, null, null);

    public WebhookSecret CurrentSecret => Secrets[0];

    /// <summary>The secrets that sign a message now: the current one, and a replaced one in its grace period.</summary>
    public IReadOnlyList<WebhookSecret> ValidSecrets(DateTimeOffset now) => [.. Secrets.Where(s => s.IsValidAt(now))];

    /// <summary>The values of <see cref="ValidSecrets"/>, as the signature takes them.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) => [.. ValidSecrets(now).Select(s => s.Value)];

    /// <summary>New settings; a new URL must pass the registration check again before it receives anything.</summary>
    public WebhookEndpoint Update(EndpointSettings settings) =>
        settings.Url == Settings.Url
            ? this with { Settings = settings }
            : this with { Settings = settings, Status = EndpointStatus.Unverified, StatusReason = "The URL changed: waiting for the registration check." };

    /// <summary>The registration check passed for the current URL: the endpoint is enabled.</summary>
    public WebhookEndpoint Verified() =>
        this with { VerifiedUrl = Settings.Url.AbsoluteUri, Status = EndpointStatus.Enabled, StatusReason = null, FailingSince = null };

    /// <summary>The registration check failed: the endpoint stays off, with the reason.</summary>
    public WebhookEndpoint VerificationFailed(string reason) =>
        this with { Status = Status == EndpointStatus.Enabled ? EndpointStatus.Unverified : Status, StatusReason = $"Registration check failed: {reason}" };

    public bool IsVerified => VerifiedUrl == Settings.Url.AbsoluteUri;

    /// <summary>Turns the endpoint back on; only a URL that passed the registration check can be.</summary>
    public WebhookEndpoint Enable()
    {
        if (!IsVerified)
        {
            throw new DomainException("Run the registration check on this URL before enabling the endpoint.");
        }

        return this with { Status = EndpointStatus.Enabled, StatusReason = null, FailingSince = null };
    }

    public WebhookEndpoint Disable(string reason) => this with { Status = EndpointStatus.Disabled, StatusReason = reason };

    /// <summary>A new current secret; the one it replaces keeps signing for <see cref="RotationGrace"/>, older ones stop.</summary>
    public WebhookEndpoint RotateSecret(DateTimeOffset now) =>
        this with { Secrets = [WebhookSecret.Generate(now), CurrentSecret with { ExpiresAt = now + RotationGrace }] };

    /// <summary>Whether an event goes to this endpoint.</summary>
    public bool Selects(string eventType, string subject) =>
        Status == EndpointStatus.Enabled && Settings.EventTypes.Matches(eventType)
        && (Settings.InstanceIds.IsEmpty || Settings.InstanceIds.Contains(subject));

    /// <summary>
    /// The endpoint after an attempt: a delivery clears the failing streak; 410 disables it; a
    /// failure that ends <see cref="FailureLimit"/> of failing without a delivery disables it too.
    /// </summary>
    public WebhookEndpoint After(DeliveryAttempt attempt) => attempt.Outcome switch
    {
        AttemptOutcome.Delivered => this with { FailingSince = null, LastDeliveredAt = attempt.At },
        AttemptOutcome.Gone => Disable($"The receiver answered 410 Gone at {attempt.At:u}."),
        _ when FailingSince is { } since && attempt.At - since >= FailureLimit && Status == EndpointStatus.Enabled =>
            Disable($"Every attempt failed from {since:u} to {attempt.At:u} ({FailureLimit.TotalDays:0} days)."),
        _ => this with { FailingSince = FailingSince ?? attempt.At },
    };
}
