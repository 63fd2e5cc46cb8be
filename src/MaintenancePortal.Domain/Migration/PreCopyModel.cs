namespace MaintenancePortal.Domain.Migration;

/// <summary>What decides a pre-copy live migration.</summary>
/// <param name="MemoryBytes">M: the instance's memory, all sent in round 0.</param>
/// <param name="DirtyRateBytesPerSecond">D: how fast the running instance dirties memory.</param>
/// <param name="WritableWorkingSetBytes">Caps what one round can dirty (the pages it keeps rewriting).</param>
/// <param name="BandwidthBytesPerSecond">B: what the link gives this migration.</param>
/// <param name="DowntimeLimit">Stop-and-copy once the remainder can be sent within this pause.</param>
/// <param name="MaxRounds">Plain pre-copy gives up after this many rounds (Xen: 30).</param>
/// <param name="MaxTransferFactor">…or once this many times M has been sent (Xen: 3).</param>
public sealed record PreCopyParameters(
    long MemoryBytes,
    double DirtyRateBytesPerSecond,
    long WritableWorkingSetBytes,
    double BandwidthBytesPerSecond,
    TimeSpan DowntimeLimit,
    int MaxRounds = 30,
    double MaxTransferFactor = 3.0)
{
    public const long MiB = 1024 * 1024;

    public static readonly TimeSpan DefaultDowntimeLimit = TimeSpan.FromMilliseconds(300);
}

/// <summary>One pre-copy round: what it sent, how long it took, and what the instance dirtied meanwhile.</summary>
public sealed record PreCopyRound(int Index, long BytesSent, TimeSpan Duration, long BytesDirtied);

/// <summary>The whole course of a pre-copy migration as the model predicts it.</summary>
/// <param name="Converged">The remainder fitted the downtime limit before the round or transfer caps.</param>
/// <param name="StopAndCopyBytes">What is sent while the instance is paused.</param>
public sealed record PreCopyPlan(
    IReadOnlyList<PreCopyRound> Rounds,
    bool Converged,
    long StopAndCopyBytes,
    TimeSpan Downtime,
    TimeSpan TotalTime,
    long TotalBytes);

/// <summary>
/// The iterative pre-copy model: round 0 sends M; each later round sends what was dirtied during
/// the previous one (never more than the writable working set); stop-and-copy when the remainder
/// fits in B × downtime limit, as QEMU decides.
/// </summary>
public static class PreCopyModel
{
    public static PreCopyPlan Plan(PreCopyParameters p)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p.MemoryBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p.BandwidthBytesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegative(p.DirtyRateBytesPerSecond);

        var rounds = new List<PreCopyRound>();
        var threshold = p.BandwidthBytesPerSecond * p.DowntimeLimit.TotalSeconds;
        var transferCap = p.MaxTransferFactor * p.MemoryBytes;
        long toSend = p.MemoryBytes;
        long sent = 0;
        var elapsed = TimeSpan.Zero;
        while (true)
        {
            var duration = TimeSpan.FromSeconds(toSend / p.BandwidthBytesPerSecond);
            var dirtied = (long)Math.Min(p.DirtyRateBytesPerSecond * duration.TotalSeconds,
                Math.Min(p.WritableWorkingSetBytes, p.MemoryBytes));
            rounds.Add(new PreCopyRound(rounds.Count, toSend, duration, dirtied));
            sent += toSend;
            elapsed += duration;

            var converged = dirtied <= threshold;
            if (converged || rounds.Count >= p.MaxRounds || sent >= transferCap)
            {
                var downtime = TimeSpan.FromSeconds(dirtied / p.BandwidthBytesPerSecond);
                return new PreCopyPlan(rounds, converged, dirtied, downtime, elapsed + downtime, sent + dirtied);
            }

            toSend = dirtied;
        }
    }
}
