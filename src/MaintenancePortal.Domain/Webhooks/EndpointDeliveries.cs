using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>What a notice is about.</summary>
public enum WebhookNoticeKind
{
    /// <summary>Every attempt of a message failed.</summary>
    MessageExhausted,

    /// <summary>The endpoint was disabled (by a 410, after days of failures, or by the tenant).</summary>
    EndpointDisabled,
}

/// <summary>Something the tenant must be told about an endpoint: a message given up on, or the endpoint disabled.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.WebhookNotice")]
public sealed record WebhookNotice([property: Id(0)] DateTimeOffset At, [property: Id(1)] string Text, [property: Id(2)] WebhookNoticeKind Kind);

/// <summary>
/// An endpoint's messages: those waiting for an attempt, and a log of the last finished ones, the
/// last attempts and the notices for the tenant. Immutable; the log keeps the newest
/// <see cref="FinishedKept"/> messages (these can be replayed), <see cref="AttemptsKept"/>
/// attempts and <see cref="NoticesKept"/> notices.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.EndpointDeliveries")]
public sealed record EndpointDeliveries(
    [property: Id(0)] ImmutableList<WebhookMessage> Pending,
    [property: Id(1)] ImmutableList<WebhookMessage> Finished,
    [property: Id(2)] ImmutableList<DeliveryAttempt> Attempts,
    [property: Id(3)] ImmutableList<WebhookNotice> Notices)
{
    public const int FinishedKept = 100;
    public const int AttemptsKept = 200;
    public const int NoticesKept = 50;

    public static EndpointDeliveries Empty { get; } = new([], [], [], []);

    /// <summary>Queues a message; one already known is not queued twice.</summary>
    public EndpointDeliveries Enqueue(WebhookMessage message) => Enqueue([message]);

    /// <summary>Queues messages, in order; those already known (or given twice) are not queued again.</summary>
    public EndpointDeliveries Enqueue(IEnumerable<WebhookMessage> messages)
    {
        var added = Unknown(messages);
        return added.Count == 0 ? this : this with { Pending = Pending.AddRange(added) };
    }

    /// <summary>The messages neither queued nor in the log, each once, in order.</summary>
    public IReadOnlyList<WebhookMessage> Unknown(IEnumerable<WebhookMessage> messages)
    {
        var known = Pending.Concat(Finished).Select(m => m.MessageId).ToHashSet();
        return [.. messages.Where(m => known.Add(m.MessageId))];
    }

    /// <summary>The messages due now, oldest first, skipping those already on their way.</summary>
    public IEnumerable<WebhookMessage> Due(DateTimeOffset now, IReadOnlySet<string> onTheirWay) =>
        Pending.Where(m => m.IsDue(now) && !onTheirWay.Contains(m.MessageId));

    /// <summary>When the earliest waiting message is due, or null when none waits.</summary>
    public DateTimeOffset? NextDueAt => Pending.IsEmpty ? null : Pending.Min(m => m.NextAttemptAt);

    /// <summary>
    /// Applies an attempt's result to its message; a message no longer waiting (replayed or
    /// abandoned meanwhile) only gets the log line. A delivery shows the receiver is back, so the
    /// messages waiting to be retried are due at once rather than at their next step.
    /// </summary>
    public EndpointDeliveries Record(DeliveryAttempt attempt, double jitter)
    {
        var logged = this with { Attempts = Keep(Attempts.Add(attempt), AttemptsKept) };
        if (attempt.Outcome == AttemptOutcome.Delivered && Pending.Any(m => m.NextAttemptAt > attempt.At))
        {
            logged = logged with
            {
                Pending = Pending.ConvertAll(m => m.NextAttemptAt > attempt.At ? m with { NextAttemptAt = attempt.At } : m),
            };
        }

        var pending = logged.Pending;
        var index = pending.FindIndex(m => m.MessageId == attempt.MessageId);
        if (index < 0)
        {
            return logged;
        }

        var message = pending[index].After(attempt, jitter);
        if (message.Status == MessageStatus.Pending)
        {
            return logged with { Pending = pending.SetItem(index, message) };
        }

        var finished = logged.Finish(pending.RemoveAt(index), [message]);
        return message.Status == MessageStatus.Exhausted
            ? finished.Notify(attempt.At, WebhookNoticeKind.MessageExhausted, $"Gave up on {message.MessageId} ({message.EventType}) after {message.Attempts} attempts; it can be replayed.")
            : finished;
    }

    /// <summary>Stops every waiting message (the endpoint was disabled or deleted); they stay in the log and can be replayed.</summary>
    public EndpointDeliveries AbandonAll(DateTimeOffset now) =>
        Pending.IsEmpty ? this : Finish([], [.. Pending.Select(m => m.Abandon(now))]);

    /// <summary>Queues one finished message again, with the same id and body; an unknown id is refused.</summary>
    public EndpointDeliveries Replay(string messageId, DateTimeOffset now)
    {
        if (Pending.Any(m => m.MessageId == messageId))
        {
            throw new DomainException($"Message {messageId} is still waiting to be delivered.");
        }

        var message = Finished.FirstOrDefault(m => m.MessageId == messageId)
                      ?? throw new NotFoundException($"The delivery log has no message {messageId}.");
        return this with { Finished = Finished.Remove(message), Pending = Pending.Add(message.Replay(now)) };
    }

    /// <summary>Queues again every finished message made at or after <paramref name="since"/> (only those not delivered, when asked).</summary>
    public EndpointDeliveries ReplaySince(DateTimeOffset since, bool failedOnly, DateTimeOffset now, out int count)
    {
        var replayed = Finished.Where(m => m.CreatedAt >= since && !(failedOnly && m.Status == MessageStatus.Delivered)).ToList();
        count = replayed.Count;
        return this with
        {
            Finished = Finished.RemoveRange(replayed),
            Pending = Pending.AddRange(replayed.Select(m => m.Replay(now))),
        };
    }

    public EndpointDeliveries Notify(DateTimeOffset at, WebhookNoticeKind kind, string text) =>
        this with { Notices = Keep(Notices.Add(new WebhookNotice(at, text, kind)), NoticesKept) };

    private EndpointDeliveries Finish(ImmutableList<WebhookMessage> pending, IEnumerable<WebhookMessage> finished) =>
        this with { Pending = pending, Finished = Keep(Finished.AddRange(finished), FinishedKept) };

    private static ImmutableList<T> Keep<T>(ImmutableList<T> list, int count) =>
        list.Count <= count ? list : list.RemoveRange(0, list.Count - count);
}
