using System.Collections.Immutable;

namespace MaintenancePortal.Domain;

/// <summary>
/// When a webhook message or an e-mail notice is tried: immediately, then 5 s, 5 min, 30 min, 2 h,
/// 5 h, 10 h and 10 h after each failure (eight attempts over about 28 hours), each wait stretched by
/// up to 10 % at random so retries of many messages spread out. A receiver that asked for a later
/// retry (an HTTP <c>Retry-After</c>) is not tried again before it asked (up to the longest step).
/// </summary>
public static class RetrySchedule
{
    /// <summary>The wait before each attempt; the first is immediate.</summary>
    public static ImmutableArray<TimeSpan> Waits { get; } =
    [
        TimeSpan.Zero,
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
        TimeSpan.FromHours(10),
        TimeSpan.FromHours(10),
    ];

    public static int MaxAttempts => Waits.Length;

    /// <summary>The waits after each failure as people read them: "5 s, 5 min, 30 min, …, 10 h and 10 h".</summary>
    public static string Described { get; } = string.Join(", ", Waits[1..^1].Select(Readable.Step)) + " and " + Readable.Step(Waits[^1]);

    /// <summary>The most a <c>Retry-After</c> can push a retry back.</summary>
    public static TimeSpan MaxRetryAfter => Waits[^1];

    private const double MaxJitter = 0.10;

    /// <summary>
    /// When to try again after <paramref name="attemptsMade"/> failed attempts, or null when they
    /// were the last. <paramref name="jitter"/> is a random number in [0, 1).
    /// </summary>
    public static DateTimeOffset? NextAttemptAt(int attemptsMade, DateTimeOffset now, double jitter, TimeSpan? retryAfter = null)
    {
        if (attemptsMade >= MaxAttempts)
        {
            return null;
        }

        var wait = Waits[attemptsMade] * (1 + (MaxJitter * Math.Clamp(jitter, 0, 1)));
        if (retryAfter is { } asked && asked > wait)
        {
            wait = asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        return now + wait;
    }
}
