using MaintenancePortal.Domain.Webhooks;

namespace MaintenancePortal.Domain.Tests.Webhooks;

public sealed class EndpointDeliveriesTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    private static WebhookMessage Message(DateTimeOffset? at = null) =>
        WebhookMessage.Create(Guid.NewGuid(), "com.maintenanceportal.host.drained", "h-1", "{}", at ?? Start);

    private static DeliveryAttempt Answer(WebhookMessage message, DateTimeOffset at, int status) =>
        DeliveryAttempt.Answered(message.MessageId, message.TotalAttempts + 1, at, status, TimeSpan.FromMilliseconds(2), "ok", null);

    [Fact]
    public void The_same_event_is_queued_once_even_after_it_was_delivered()
    {
        var message = Message();
        var queued = EndpointDeliveries.Empty.Enqueue(message).Enqueue(message);
        Assert.Single(queued.Pending);

        var delivered = queued.Record(Answer(message, Start, 200), 0).Enqueue(message);

        Assert.Empty(delivered.Pending);
        Assert.Equal(MessageStatus.Delivered, Assert.Single(delivered.Finished).Status);
    }

    [Fact]
    public void A_failed_message_waits_and_is_not_due_before_its_time()
    {
        var message = Message();
        var failed = EndpointDeliveries.Empty.Enqueue(message).Record(Answer(message, Start, 503), 0);

        Assert.Empty(failed.Due(Start.AddSeconds(4), new HashSet<string>()));
        Assert.Single(failed.Due(Start.AddSeconds(5), new HashSet<string>()));
        Assert.Equal(Start.AddSeconds(5), failed.NextDueAt);
    }

    [Fact]
    public void A_delivery_brings_the_retries_waiting_behind_it_forward()
    {
        var failed = Message();
        var next = Message();
        var deliveries = EndpointDeliveries.Empty.Enqueue([failed, next]).Record(Answer(failed, Start, 503), 0);
        Assert.Equal(Start.AddSeconds(5), deliveries.Pending.Single(m => m.MessageId == failed.MessageId).NextAttemptAt);

        var recovered = deliveries.Record(Answer(next, Start.AddSeconds(1), 204), 0);

        Assert.Equal(Start.AddSeconds(1), recovered.Pending.Single().NextAttemptAt);
    }

    [Fact]
    public void Messages_on_their_way_are_not_due_again()
    {
        var message = Message();
        var queued = EndpointDeliveries.Empty.Enqueue(message);

        Assert.Empty(queued.Due(Start, new HashSet<string> { message.MessageId }));
    }

    [Fact]
    public void An_exhausted_message_leaves_a_notice_for_the_tenant()
    {
        var message = Message();
        var deliveries = EndpointDeliveries.Empty.Enqueue(message);
        for (var i = 0; i < RetrySchedule.MaxAttempts; i++)
        {
            var waiting = deliveries.Pending.Single();
            deliveries = deliveries.Record(Answer(waiting, waiting.NextAttemptAt, 500), 0);
        }

        Assert.Empty(deliveries.Pending);
        Assert.Equal(MessageStatus.Exhausted, deliveries.Finished.Single().Status);
        Assert.Contains(message.MessageId, Assert.Single(deliveries.Notices).Text, StringComparison.Ordinal);
        Assert.Equal(RetrySchedule.MaxAttempts, deliveries.Attempts.Count);
    }

    [Fact]
    public void A_replay_keeps_the_message_id_and_body_and_restarts_the_schedule()
    {
        var message = Message();
        var delivered = EndpointDeliveries.Empty.Enqueue(message).Record(Answer(message, Start, 200), 0);

        var replayed = delivered.Replay(message.MessageId, Start.AddHours(1));

        var again = Assert.Single(replayed.Pending);
        Assert.Equal((message.MessageId, message.Body, 0, MessageStatus.Pending), (again.MessageId, again.Body, again.Attempts, again.Status));
        Assert.Equal(1, again.TotalAttempts);
        Assert.Empty(replayed.Finished);
    }

    [Fact]
    public void Replaying_an_unknown_or_waiting_message_is_refused()
    {
        var message = Message();
        var queued = EndpointDeliveries.Empty.Enqueue(message);

        Assert.Throws<NotFoundException>(() => queued.Replay("msg_unknown", Start));
        Assert.Throws<DomainException>(() => queued.Replay(message.MessageId, Start));
    }

    [Fact]
    public void Replay_since_takes_the_messages_made_from_then_and_only_failed_ones_when_asked()
    {
        var old = Message(Start);
        var failed = Message(Start.AddHours(2));
        var delivered = Message(Start.AddHours(3));
        var deliveries = EndpointDeliveries.Empty.Enqueue(old).Enqueue(failed).Enqueue(delivered)
            .Record(Answer(old, Start, 200), 0)
            .Record(Answer(delivered, Start.AddHours(3), 200), 0)
            .AbandonAll(Start.AddHours(4));

        var onlyFailed = deliveries.ReplaySince(Start.AddHours(1), failedOnly: true, Start.AddHours(5), out var failedCount);
        var all = deliveries.ReplaySince(Start.AddHours(1), failedOnly: false, Start.AddHours(5), out var allCount);

        Assert.Equal([failed.MessageId], onlyFailed.Pending.Select(m => m.MessageId));
        Assert.Equal(1, failedCount);
        Assert.Equal(2, allCount);
        Assert.Equal([old.MessageId], all.Finished.Select(m => m.MessageId));
    }

    [Fact]
    public void The_log_keeps_only_the_newest_entries()
    {
        var deliveries = EndpointDeliveries.Empty;
        for (var i = 0; i < EndpointDeliveries.FinishedKept + 5; i++)
        {
            var message = Message(Start.AddSeconds(i));
            deliveries = deliveries.Enqueue(message).Record(Answer(message, Start.AddSeconds(i), 204), 0);
        }

        Assert.Equal(EndpointDeliveries.FinishedKept, deliveries.Finished.Count);
        Assert.Equal(Start.AddSeconds(5), deliveries.Finished[0].CreatedAt);
    }

    [Fact]
    public void A_result_for_a_message_no_longer_waiting_is_only_logged()
    {
        var message = Message();
        var abandoned = EndpointDeliveries.Empty.Enqueue(message).AbandonAll(Start);

        var after = abandoned.Record(Answer(message, Start, 200), 0);

        Assert.Equal(MessageStatus.Abandoned, after.Finished.Single().Status);
        Assert.Single(after.Attempts);
    }
}
