namespace MaintenancePortal.Domain.Migration;

/// <summary>How a successful live migration finished.</summary>
public enum MigrationMethod
{
    /// <summary>Stop-and-copy of the last remainder: the instance resumes on the destination with every page.</summary>
    PreCopy,

    /// <summary>The instance resumed on the destination first and pulled the remaining pages on demand.</summary>
    PostCopy,
}

/// <summary>One round of copying while the instance runs.</summary>
/// <param name="DirtyRateBytesPerSecond">The rate the instance dirtied memory during the round (after throttling).</param>
/// <param name="Throttle">The share of vCPU time taken away by auto-converge during the round.</param>
/// <param name="BytesDirtied">What the round left to send next: the remainder after it.</param>
public sealed record MigrationRound(
    int Index,
    long BytesSent,
    TimeSpan Duration,
    double DirtyRateBytesPerSecond,
    double Throttle,
    long BytesDirtied);

/// <summary>The whole course of a live migration as the model runs it.</summary>
/// <param name="Method">How it finished, or null when the live migration failed.</param>
/// <param name="PausedBytes">Sent while the instance was paused (the remainder and the device state, or only the state for post-copy).</param>
/// <param name="PostCopyBytes">Pulled by the destination after the resume (post-copy only).</param>
public sealed record MigrationPlan(
    IReadOnlyList<MigrationRound> Rounds,
    MigrationMethod? Method,
    long PausedBytes,
    TimeSpan Downtime,
    long PostCopyBytes,
    TimeSpan PostCopyTime,
    TimeSpan TotalTime,
    long TotalBytes,
    string? FailureReason)
{
    public bool Succeeded => Method is not null;

    public TimeSpan PreCopyTime => Rounds.Aggregate(TimeSpan.Zero, (sum, r) => sum + r.Duration);

    public double MaxThrottle => Rounds.Count == 0 ? 0 : Rounds.Max(r => r.Throttle);
}

/// <summary>
/// The live migration model: iterative pre-copy, the stop rule, and escalation through
/// auto-converge and post-copy. Deterministic and bounded: at most
/// <see cref="MigrationPolicy.MaxRounds"/> + <see cref="MigrationPolicy.MaxEscalationRounds"/> rounds.
/// </summary>
public static class MigrationModel
{
    public static MigrationPlan Plan(MigrationWorkload workload, double bandwidthBytesPerSecond, MigrationPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workload.MemoryBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(workload.DirtyRateBytesPerSecond);

        var b = bandwidthBytesPerSecond;
        var m = workload.MemoryBytes;
        var limitBytes = b * policy.DowntimeLimit.TotalSeconds;
        var targetBytes = b * Math.Min(policy.DowntimeTarget.TotalSeconds, policy.DowntimeLimit.TotalSeconds);
        var state = policy.DeviceStateBytes;
        var maxRounds = policy.MaxRounds + policy.MaxEscalationRounds;

        var rounds = new List<MigrationRound>();
        long sent = 0;
        var elapsed = TimeSpan.Zero;
        var throttle = 0.0;
        var escalationRounds = -1;
        long toSend = m;
        while (true)
        {
            var dirtyRate = workload.DirtyRateBytesPerSecond * (1 - throttle);
            var duration = TimeSpan.FromSeconds(toSend / b);
            var dirtied = (long)Math.Min(dirtyRate * duration.TotalSeconds, Math.Min(workload.WritableWorkingSetBytes, m));
            rounds.Add(new MigrationRound(rounds.Count, toSend, duration, dirtyRate, throttle, dirtied));
            sent += toSend;
            elapsed += duration;

            var paused = dirtied + state;
            var ratio = toSend > 0 ? (double)dirtied / toSend : 0;
            var capsHit = rounds.Count >= policy.MaxRounds || sent >= policy.MaxTransferFactor * m;
            if (paused <= targetBytes || dirtied == 0
                || (paused <= limitBytes && (ratio > policy.WorthAnotherRoundRatio || capsHit || escalationRounds >= 0)))
            {
                return StopAndCopy(rounds, sent, elapsed, paused, b);
            }

            if (policy.PostCopy == PostCopyMode.Hybrid && rounds.Count >= policy.HybridPreCopyRounds)
            {
                return SwitchToPostCopy(rounds, sent, elapsed, dirtied, state, b);
            }

            var escalated = escalationRounds >= 0;
            if (escalated || ratio >= policy.NotConvergingRatio || capsHit)
            {
                escalationRounds++;
                if (policy.AutoConverge && escalationRounds < policy.MaxEscalationRounds && rounds.Count < maxRounds)
                {
                    // QEMU's auto-converge: throttle more while rounds are not shrinking enough.
                    if (!escalated)
                    {
                        throttle = policy.InitialThrottle;
                    }
                    else if (ratio > policy.ThrottleTriggerRatio)
                    {
                        throttle = Math.Min(policy.MaxThrottle, throttle + policy.ThrottleStep);
                    }
                }
                else if (policy.PostCopy != PostCopyMode.Never)
                {
                    return SwitchToPostCopy(rounds, sent, elapsed, dirtied, state, b);
                }
                else
                {
                    return new MigrationPlan(rounds, null, 0, TimeSpan.Zero, 0, TimeSpan.Zero, elapsed, sent,
                        $"Pre-copy did not converge after {rounds.Count} rounds"
                        + (policy.AutoConverge ? $" and throttling up to {throttle:P0}" : "")
                        + $": the instance dirties {workload.DirtyRateBytesPerSecond / MigrationWorkload.MiB:0.#} MiB/s "
                        + $"against {b / MigrationWorkload.MiB:0.#} MiB/s of bandwidth.");
                }
            }

            toSend = dirtied;
        }
    }

    private static MigrationPlan StopAndCopy(List<MigrationRound> rounds, long sent, TimeSpan elapsed, long paused, double b)
    {
        var downtime = TimeSpan.FromSeconds(paused / b);
        return new MigrationPlan(rounds, MigrationMethod.PreCopy, paused, downtime, 0, TimeSpan.Zero, elapsed + downtime,
            sent + paused, null);
    }

    private static MigrationPlan SwitchToPostCopy(List<MigrationRound> rounds, long sent, TimeSpan elapsed, long remaining,
        long state, double b)
    {
        var downtime = TimeSpan.FromSeconds(state / b);
        var pull = TimeSpan.FromSeconds(remaining / b);
        return new MigrationPlan(rounds, MigrationMethod.PostCopy, state, downtime, remaining, pull,
            elapsed + downtime + pull, sent + state + remaining, null);
    }
}
