namespace MaintenancePortal.Domain.Webhooks;

/// <summary>How one attempt ended, as the endpoint's rules read it.</summary>
public enum AttemptOutcome
{
    /// <summary>A 2xx answer: the receiver has the message.</summary>
    Delivered,

    /// <summary>Any other answer (3xx included: redirects are never followed), a timeout, or no connection.</summary>
    Failed,

    /// <summary>410 Gone: the receiver asks not to be called again; the endpoint is disabled.</summary>
    Gone,
}

/// <summary>One try at delivering a message, as the delivery log shows it.</summary>
/// <param name="Number">1 for the first attempt of the message, counting replays on.</param>
/// <param name="StatusCode">The receiver's HTTP status, or null when there was no answer.</param>
/// <param name="ResponseExcerpt">The start of the receiver's answer (capped).</param>
/// <param name="Error">What went wrong when there was no answer, or why the answer counts as a failure.</param>
/// <param name="RetryAfter">The wait the receiver asked for, when its status is one that is honoured.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.DeliveryAttempt")]
public sealed record DeliveryAttempt(
    [property: Id(0)] string MessageId,
    [property: Id(1)] int Number,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] int? StatusCode,
    [property: Id(4)] TimeSpan Latency,
    [property: Id(5)] string? ResponseExcerpt,
    [property: Id(6)] string? Error,
    [property: Id(7)] TimeSpan? RetryAfter)
{
    /// <summary>The most of a response body kept in the log.</summary>
    public const int ExcerptLength = 256;

    public AttemptOutcome Outcome => StatusCode switch
    {
        >= 200 and < 300 => AttemptOutcome.Delivered,
        410 => AttemptOutcome.Gone,
        _ => AttemptOutcome.Failed,
    };

    /// <summary>An attempt that got an answer; <paramref name="retryAfter"/> is kept only where it is honoured.</summary>
    public static DeliveryAttempt Answered(string messageId, int number, DateTimeOffset at, int statusCode, TimeSpan latency,
        string? body, TimeSpan? retryAfter) =>
        new(messageId, number, at, statusCode, latency, Excerpt(body),
            statusCode is >= 300 and < 400 ? "Redirects are not followed." : null,
            HonoursRetryAfter(statusCode) ? retryAfter : null);

    /// <summary>An attempt that got no answer: no connection, a refused address, or a timeout.</summary>
    public static DeliveryAttempt Unanswered(string messageId, int number, DateTimeOffset at, TimeSpan latency, string error) =>
        new(messageId, number, at, null, latency, null, error, null);

    /// <summary>The statuses whose <c>Retry-After</c> is honoured.</summary>
    public static bool HonoursRetryAfter(int statusCode) => statusCode is 429 or 502 or 503 or 504;

    private static string? Excerpt(string? body) =>
        string.IsNullOrEmpty(body) ? null : body.Length <= ExcerptLength ? body : body[..ExcerptLength];
}
