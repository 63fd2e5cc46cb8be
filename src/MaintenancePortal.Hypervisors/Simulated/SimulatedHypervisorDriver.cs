using System.Collections.Concurrent;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Hypervisors.Simulated;

/// <summary>
/// A hypervisor that runs each migration along the pre-copy model's plan, on the clock it is given
/// (sped up by <see cref="SimulatedHypervisorOptions.SpeedUp"/>). Its migrations live in this
/// process only: after a restart it reports them <see cref="MigrationPhase.Unknown"/>, as a real
/// hypervisor would report a migration whose source process died.
/// </summary>
public sealed class SimulatedHypervisorDriver(TimeProvider time, SimulatedHypervisorOptions options)
    : IHypervisorDriver
{
    private readonly ConcurrentDictionary<string, Running> _migrations = new();

    public Task StartLiveMigrationAsync(LiveMigrationRequest request, CancellationToken cancellationToken = default)
    {
        _migrations.GetOrAdd(request.MigrationId, _ =>
        {
            var instance = request.Instance;
            var plan = PreCopyModel.Plan(new PreCopyParameters(
                instance.Size.MemoryMiB * PreCopyParameters.MiB,
                instance.DirtyRateMiBps * PreCopyParameters.MiB,
                instance.WritableWorkingSetMiB * PreCopyParameters.MiB,
                request.BandwidthMiBps * PreCopyParameters.MiB,
                options.DowntimeLimit));
            return new Running(request, plan, time.GetUtcNow());
        });
        return Task.CompletedTask;
    }

    public Task<LiveMigrationStatus> GetLiveMigrationStatusAsync(string migrationId, CancellationToken cancellationToken = default)
    {
        if (!_migrations.TryGetValue(migrationId, out var running))
        {
            return Task.FromResult(new LiveMigrationStatus(MigrationPhase.Unknown));
        }

        var elapsed = (time.GetUtcNow() - running.StartedAt) * options.SpeedUp;
        return Task.FromResult(StatusAt(running.Request, running.Plan, elapsed));
    }

    /// <summary>Where a migration following <paramref name="plan"/> stands after <paramref name="elapsed"/> model time.</summary>
    public static LiveMigrationStatus StatusAt(LiveMigrationRequest request, PreCopyPlan plan, TimeSpan elapsed)
    {
        var bandwidth = request.BandwidthMiBps * PreCopyParameters.MiB;
        var roundsEnd = TimeSpan.Zero;
        long sentBefore = 0;
        foreach (var round in plan.Rounds)
        {
            if (elapsed < roundsEnd + round.Duration)
            {
                var share = (elapsed - roundsEnd) / round.Duration;
                var sentInRound = (long)(round.BytesSent * share);
                var remaining = round.BytesSent - sentInRound;
                return new LiveMigrationStatus(MigrationPhase.PreCopy, new MigrationProgress(
                    round.Index, sentBefore + sentInRound, remaining, request.Instance.DirtyRateMiBps,
                    remaining / bandwidth * 1000, Percent(sentBefore + sentInRound, plan)));
            }

            roundsEnd += round.Duration;
            sentBefore += round.BytesSent;
        }

        var last = plan.Rounds.Count - 1;
        if (!plan.Converged)
        {
            return new LiveMigrationStatus(MigrationPhase.Failed,
                new MigrationProgress(last, sentBefore, plan.StopAndCopyBytes, request.Instance.DirtyRateMiBps,
                    plan.Downtime.TotalMilliseconds, Percent(sentBefore, plan)),
                Error: $"Pre-copy did not converge after {plan.Rounds.Count} rounds: the instance dirties "
                       + $"{request.Instance.DirtyRateMiBps:0.#} MiB/s against {request.BandwidthMiBps:0.#} MiB/s of bandwidth.");
        }

        if (elapsed < plan.TotalTime)
        {
            return new LiveMigrationStatus(MigrationPhase.StopAndCopy,
                new MigrationProgress(last, sentBefore, plan.StopAndCopyBytes, 0, plan.Downtime.TotalMilliseconds,
                    Percent(sentBefore, plan)));
        }

        return new LiveMigrationStatus(MigrationPhase.Completed,
            new MigrationProgress(last, plan.TotalBytes, 0, 0, 0, 100),
            new LiveMigrationResult(plan.Downtime.TotalMilliseconds, plan.Rounds.Count, plan.TotalBytes,
                request.Instance.InstanceId, request.Instance.PrivateIp));
    }

    private static double Percent(long sent, PreCopyPlan plan) => Math.Round(100.0 * sent / plan.TotalBytes, 1);

    private sealed record Running(LiveMigrationRequest Request, PreCopyPlan Plan, DateTimeOffset StartedAt);
}
