using MaintenancePortal.Domain.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace MaintenancePortal.Domain.Tests;

public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_schedule_reads_as_the_waits_it_keeps()
    {
        Assert.Equal("5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h", RetrySchedule.Described);
        Assert.Equal("90 min", Readable.Step(TimeSpan.FromMinutes(90)));
        Assert.Equal("1.5 s", Readable.Step(TimeSpan.FromSeconds(1.5)));
    }

    [Fact]
    public void A_message_that_always_fails_is_tried_on_the_schedule_then_exhausted()
    {
        var clock = new FakeTimeProvider(Start);
        var message = WebhookMessage.Create(Guid.NewGuid(), "t", "i-1", "{}", clock.GetUtcNow());
        var tried = new List<DateTimeOffset>();
        while (message.Status == MessageStatus.Pending)
        {
            clock.SetUtcNow(message.NextAttemptAt);
            tried.Add(clock.GetUtcNow());
            message = message.After(Failure(message, clock.GetUtcNow(), 500), jitter: 0);
        }

        TimeSpan[] expectedGaps =
        [
            TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
        ];
        Assert.Equal(Start, tried[0]);
        Assert.Equal(expectedGaps, tried.Zip(tried.Skip(1), (a, b) => b - a));
        Assert.Equal(MessageStatus.Exhausted, message.Status);
        Assert.Equal(8, message.Attempts);
    }

    [Theory]
    [InlineData(0.0, 300)]
    [InlineData(0.5, 315)]
    [InlineData(0.999, 329.97)]
    public void Jitter_only_lengthens_a_wait_and_by_at_most_a_tenth(double jitter, double seconds) =>
        Assert.Equal(Start + TimeSpan.FromSeconds(seconds), RetrySchedule.NextAttemptAt(2, Start, jitter));

    [Theory]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public void Retry_after_on_a_busy_answer_postpones_the_next_attempt(int status)
    {
        var message = WebhookMessage.Create(Guid.NewGuid(), "t", "i-1", "{}", Start);
        var attempt = DeliveryAttempt.Answered(message.MessageId, 1, Start, status, TimeSpan.Zero, null, TimeSpan.FromMinutes(2));

        Assert.Equal(Start + TimeSpan.FromMinutes(2), message.After(attempt, jitter: 0).NextAttemptAt);
    }

    [Fact]
    public void Retry_after_never_brings_an_attempt_forward_and_is_capped_at_the_longest_step()
    {
        var early = RetrySchedule.NextAttemptAt(3, Start, 0, TimeSpan.FromSeconds(1));
        var far = RetrySchedule.NextAttemptAt(1, Start, 0, TimeSpan.FromDays(30));

        Assert.Equal(Start + TimeSpan.FromMinutes(30), early);
        Assert.Equal(Start + TimeSpan.FromHours(10), far);
    }

    [Fact]
    public void Retry_after_on_other_statuses_is_ignored()
    {
        var attempt = DeliveryAttempt.Answered("msg_1", 1, Start, 500, TimeSpan.Zero, null, TimeSpan.FromHours(1));

        Assert.Null(attempt.RetryAfter);
    }

    [Theory]
    [InlineData(200, AttemptOutcome.Delivered)]
    [InlineData(204, AttemptOutcome.Delivered)]
    [InlineData(299, AttemptOutcome.Delivered)]
    [InlineData(301, AttemptOutcome.Failed)]
    [InlineData(302, AttemptOutcome.Failed)]
    [InlineData(400, AttemptOutcome.Failed)]
    [InlineData(410, AttemptOutcome.Gone)]
    [InlineData(500, AttemptOutcome.Failed)]
    public void An_answer_is_classified_by_its_status(int status, AttemptOutcome outcome) =>
        Assert.Equal(outcome, DeliveryAttempt.Answered("msg_1", 1, Start, status, TimeSpan.Zero, null, null).Outcome);

    [Fact]
    public void A_redirect_is_logged_as_not_followed() =>
        Assert.Equal("Redirects are not followed.", DeliveryAttempt.Answered("msg_1", 1, Start, 302, TimeSpan.Zero, null, null).Error);

    [Fact]
    public void An_attempt_without_an_answer_is_a_failure() =>
        Assert.Equal(AttemptOutcome.Failed, DeliveryAttempt.Unanswered("msg_1", 1, Start, TimeSpan.FromSeconds(15), "timed out").Outcome);

    [Fact]
    public void A_long_response_is_cut_to_the_excerpt_length() =>
        Assert.Equal(DeliveryAttempt.ExcerptLength,
            DeliveryAttempt.Answered("msg_1", 1, Start, 500, TimeSpan.Zero, new string('x', 5000), null).ResponseExcerpt!.Length);

    internal static DeliveryAttempt Failure(WebhookMessage message, DateTimeOffset at, int status) =>
        DeliveryAttempt.Answered(message.MessageId, message.TotalAttempts + 1, at, status, TimeSpan.FromMilliseconds(3), "no", null);
}
