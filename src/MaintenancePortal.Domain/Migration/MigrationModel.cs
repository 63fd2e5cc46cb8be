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
    /// <summary>The whole migration at a constant bandwidth.</summary>
    public static MigrationPlan Plan(MigrationWorkload workload, double bandwidthBytesPerSecond, MigrationPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthBytesPerSecond);
        var run = new MigrationRun(workload, policy);
        while (run.Result is null)
        {
            run.CompleteRound(TimeSpan.FromSeconds(run.BytesToSend / bandwidthBytesPerSecond), bandwidthBytesPerSecond);
        }

        return run.Result;
    }
}

/// <summary>
/// One live migration, a round at a time, for callers whose bandwidth changes between rounds (a
/// NIC shared with other migrations). Each completed round decides what comes next: another round,
/// stop-and-copy, the post-copy switch, or failure.
/// </summary>
public sealed class MigrationRun
{
    private readonly MigrationWorkload _workload;
    private readonly MigrationPolicy _policy;
    private readonly List<MigrationRound> _rounds = [];
    private long _sent;
    private TimeSpan _elapsed;
    private double _throttle;
    private int _escalationRounds = -1;

    public MigrationRun(MigrationWorkload workload, MigrationPolicy policy)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(workload.MemoryBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(workload.DirtyRateBytesPerSecond);
        _workload = workload;
        _policy = policy;
        BytesToSend = workload.MemoryBytes;
    }

    /// <summary>What the current round sends (all memory in round 0).</summary>
    public long BytesToSend { get; private set; }

    /// <summary>How fast the instance dirties memory now, after throttling.</summary>
    public double DirtyRateBytesPerSecond => _workload.DirtyRateBytesPerSecond * (1 - _throttle);

    public double Throttle => _throttle;

    /// <summary>The finished migration, or null while rounds go on.</summary>
    public MigrationPlan? Result { get; private set; }

    /// <summary>The current round took <paramref name="duration"/>; <paramref name="bandwidthBytesPerSecond"/> is what the link gives now.</summary>
    public void CompleteRound(TimeSpan duration, double bandwidthBytesPerSecond)
    {
        if (Result is not null)
        {
            throw new InvalidOperationException("The migration has already finished.");
        }

        var p = _policy;
        var b = bandwidthBytesPerSecond;
        var m = _workload.MemoryBytes;
        var toSend = BytesToSend;
        var dirtied = (long)Math.Min(DirtyRateBytesPerSecond * duration.TotalSeconds, Math.Min(_workload.WritableWorkingSetBytes, m));
        _rounds.Add(new MigrationRound(_rounds.Count, toSend, duration, DirtyRateBytesPerSecond, _throttle, dirtied));
        _sent += toSend;
        _elapsed += duration;

        var limitBytes = b * p.DowntimeLimit.TotalSeconds;
        var targetBytes = b * Math.Min(p.DowntimeTarget.TotalSeconds, p.DowntimeLimit.TotalSeconds);
        var paused = dirtied + p.DeviceStateBytes;
        var ratio = toSend > 0 ? (double)dirtied / toSend : 0;
        var capsHit = _rounds.Count >= p.MaxRounds || _sent >= p.MaxTransferFactor * m;
        if (paused <= targetBytes || dirtied == 0
            || (paused <= limitBytes && (ratio > p.WorthAnotherRoundRatio || capsHit || _escalationRounds >= 0)))
        {
            var downtime = TimeSpan.FromSeconds(paused / b);
            Result = new MigrationPlan(_rounds, MigrationMethod.PreCopy, paused, downtime, 0, TimeSpan.Zero, _elapsed + downtime,
                _sent + paused, null);
            return;
        }

        if (p.PostCopy == PostCopyMode.Hybrid && _rounds.Count >= p.HybridPreCopyRounds)
        {
            SwitchToPostCopy(dirtied, b);
            return;
        }

        var escalated = _escalationRounds >= 0;
        if (escalated || ratio >= p.NotConvergingRatio || capsHit)
        {
            _escalationRounds++;
            if (p.AutoConverge && _escalationRounds < p.MaxEscalationRounds && _rounds.Count < p.MaxRounds + p.MaxEscalationRounds)
            {
                // QEMU's auto-converge: throttle more while rounds are not shrinking enough.
                if (!escalated)
                {
                    _throttle = p.InitialThrottle;
                }
                else if (ratio > p.ThrottleTriggerRatio)
                {
                    _throttle = Math.Min(p.MaxThrottle, _throttle + p.ThrottleStep);
                }
            }
            else if (p.PostCopy != PostCopyMode.Never)
            {
                SwitchToPostCopy(dirtied, b);
                return;
            }
            else
            {
                Result = new MigrationPlan(_rounds, null, 0, TimeSpan.Zero, 0, TimeSpan.Zero, _elapsed, _sent,
                    $"Pre-copy did not converge after {_rounds.Count} rounds"
                    + (p.AutoConverge ? $" and throttling up to {_throttle:P0}" : "")
                    + $": the instance dirties {_workload.DirtyRateBytesPerSecond / MigrationWorkload.MiB:0.#} MiB/s "
                    + $"against {b / MigrationWorkload.MiB:0.#} MiB/s of bandwidth.");
                return;
            }
        }

        BytesToSend = dirtied;
    }

    private void SwitchToPostCopy(long remaining, double b)
    {
        var state = _policy.DeviceStateBytes;
        var downtime = TimeSpan.FromSeconds(state / b);
        var pull = TimeSpan.FromSeconds(remaining / b);
        Result = new MigrationPlan(_rounds, MigrationMethod.PostCopy, state, downtime, remaining, pull,
            _elapsed + downtime + pull, _sent + state + remaining, null);
    }
}
