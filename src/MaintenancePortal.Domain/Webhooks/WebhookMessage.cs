using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>Where a message stands.</summary>
public enum MessageStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,

    /// <summary>The receiver acknowledged it.</summary>
    Delivered,

    /// <summary>Every attempt of the schedule failed.</summary>
    Exhausted,

    /// <summary>Not tried again because the endpoint was disabled or deleted; it can be replayed.</summary>
    Abandoned,
}

/// <summary>
/// One event on its way to one endpoint. Its id is the <c>webhook-id</c> and stays the same on
/// every attempt and replay, so the receiver can drop duplicates; the body is fixed when the
/// message is made, so every attempt carries the same bytes.
/// </summary>
/// <param name="Attempts">Attempts made since it was queued or last replayed.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.WebhookMessage")]
public sealed record WebhookMessage(
    [property: Id(0)] string MessageId,
    [property: Id(1)] string EventType,
    [property: Id(2)] string Subject,
    [property: Id(3)] string Body,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] MessageStatus Status,
    [property: Id(6)] int Attempts,
    [property: Id(7)] DateTimeOffset NextAttemptAt,
    [property: Id(8)] DateTimeOffset? FinishedAt,
    [property: Id(9)] int TotalAttempts)
{
    public const string IdPrefix = "msg_";

    /// <summary>The move the message announces, when it does: its acknowledgement is notice given (docs/notices.md).</summary>
    [Id(10)]
    public MoveAnnouncement? Announces { get; init; }

    /// <summary>The message of an event: its id comes from the event's, so a redelivered event makes the same message.</summary>
    public static WebhookMessage Create(Guid eventId, string eventType, string subject, string body, DateTimeOffset now) =>
        new(IdPrefix + eventId.ToString("N"), eventType, subject, body, now, MessageStatus.Pending, 0, now, null, 0);

    public bool IsDue(DateTimeOffset now) => Status == MessageStatus.Pending && NextAttemptAt <= now;

    /// <summary>The message after an attempt: delivered, due again later by the schedule, or exhausted.</summary>
    public WebhookMessage After(DeliveryAttempt attempt, double jitter)
    {
        if (Status != MessageStatus.Pending)
        {
            return this;
        }

        var attempts = Attempts + 1;
        var made = this with { Attempts = attempts, TotalAttempts = TotalAttempts + 1 };
        if (attempt.Outcome == AttemptOutcome.Delivered)
        {
            return made with { Status = MessageStatus.Delivered, FinishedAt = attempt.At };
        }

        return RetrySchedule.NextAttemptAt(attempts, attempt.At, jitter, attempt.RetryAfter) is { } next
            ? made with { NextAttemptAt = next }
            : made with { Status = MessageStatus.Exhausted, FinishedAt = attempt.At };
    }

    /// <summary>Stops trying (the endpoint was disabled or deleted).</summary>
    public WebhookMessage Abandon(DateTimeOffset now) =>
        Status == MessageStatus.Pending ? this with { Status = MessageStatus.Abandoned, FinishedAt = now } : this;

    /// <summary>Queues the message again from the start of the schedule, with the same id and body.</summary>
    public WebhookMessage Replay(DateTimeOffset now) =>
        this with { Status = MessageStatus.Pending, Attempts = 0, NextAttemptAt = now, FinishedAt = null };
}
