using System.Collections.Concurrent;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Hypervisors.Simulated;

/// <summary>
/// A hypervisor that runs each live migration along the migration model's plan (and each
/// reboot-based move for a fixed stop time), on the clock it is
/// given (sped up by <see cref="SimulatedHypervisorOptions.SpeedUp"/>). Its migrations live in this
/// process only: after a restart it reports them <see cref="MigrationPhase.Unknown"/>, as a real
/// hypervisor would report a migration whose source process died.
/// </summary>
public sealed class SimulatedHypervisorDriver(TimeProvider time, SimulatedHypervisorOptions options) : IHypervisorDriver
{
    private readonly ConcurrentDictionary<string, Running> _migrations = new();
    private readonly ConcurrentDictionary<string, Reboot> _reboots = new();

    public Task StartLiveMigrationAsync(LiveMigrationRequest request, CancellationToken cancellationToken = default)
    {
        _migrations.GetOrAdd(request.MigrationId, _ => new Running(request,
            MigrationModel.Plan(MigrationWorkload.Of(request.Instance), request.BandwidthMiBps * MigrationWorkload.MiB, request.Policy),
            time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task StartRebootMoveAsync(RebootMoveRequest request, CancellationToken cancellationToken = default)
    {
        _reboots.GetOrAdd(request.MigrationId, _ => new Reboot(request, time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public Task<LiveMigrationStatus> GetStatusAsync(string migrationId, CancellationToken cancellationToken = default)
    {
        if (_migrations.TryGetValue(migrationId, out var running))
        {
            return Task.FromResult(running.Aborted
                ? new LiveMigrationStatus(MigrationPhase.Failed, Error: "Cancelled on the hypervisor.")
                : StatusAt(running.Request, running.Plan, Elapsed(running.StartedAt)));
        }

        if (_reboots.TryGetValue(migrationId, out var reboot))
        {
            var stopped = options.RebootDuration;
            return Task.FromResult(Elapsed(reboot.StartedAt) < stopped
                ? new LiveMigrationStatus(MigrationPhase.Rebooting)
                : new LiveMigrationStatus(MigrationPhase.Completed, Result: new MigrationOutcome(null, stopped.TotalMilliseconds, 0, 0, 0,
                    reboot.Request.Instance.InstanceId, reboot.Request.Instance.PrivateIp)));
        }

        return Task.FromResult(new LiveMigrationStatus(MigrationPhase.Unknown));
    }

    public Task AbortAsync(string migrationId, CancellationToken cancellationToken = default)
    {
        if (_migrations.TryGetValue(migrationId, out var running))
        {
            _migrations[migrationId] = running with { Aborted = true };
        }

        return Task.CompletedTask;
    }

    public Task ForceCompleteAsync(string migrationId, ForceCompletion mode, CancellationToken cancellationToken = default)
    {
        if (_migrations.TryGetValue(migrationId, out var running) && !running.Aborted)
        {
            _migrations[migrationId] = running with { Plan = Forced(running, mode, Elapsed(running.StartedAt)) };
        }

        return Task.CompletedTask;
    }

    /// <summary>The plan cut at <paramref name="at"/>: what was left is sent paused, or pulled after a post-copy switch.</summary>
    private static MigrationPlan Forced(Running running, ForceCompletion mode, TimeSpan at)
    {
        var plan = running.Plan;
        var status = StatusAt(running.Request, plan, at);
        if (status.Phase != MigrationPhase.PreCopy && plan.Succeeded)
        {
            return plan; // already pausing, pulling or done
        }

        var b = running.Request.BandwidthMiBps * MigrationWorkload.MiB;
        var doneRounds = plan.Rounds.Where(r => r.Index < (status.Progress?.Round ?? plan.Rounds.Count)).ToList();
        var sent = status.Progress?.BytesSent ?? plan.Rounds.Sum(r => r.BytesSent);
        var remaining = status.Progress?.RemainingBytes ?? plan.Rounds[^1].BytesDirtied;
        var state = running.Request.Policy.DeviceStateBytes;
        var rounds = doneRounds.Append(new MigrationRound(doneRounds.Count, sent - doneRounds.Sum(r => r.BytesSent),
            at - doneRounds.Aggregate(TimeSpan.Zero, (t, r) => t + r.Duration), 0, 0, remaining)).ToList();
        return mode == ForceCompletion.PauseAndCopy
            ? new MigrationPlan(rounds, MigrationMethod.PreCopy, remaining + state, TimeSpan.FromSeconds((remaining + state) / b), 0,
                TimeSpan.Zero, at + TimeSpan.FromSeconds((remaining + state) / b), sent + remaining + state, null)
            : new MigrationPlan(rounds, MigrationMethod.PostCopy, state, TimeSpan.FromSeconds(state / b), remaining,
                TimeSpan.FromSeconds(remaining / b), at + TimeSpan.FromSeconds((state + remaining) / b), sent + state + remaining, null);
    }

    private TimeSpan Elapsed(DateTimeOffset startedAt) => (time.GetUtcNow() - startedAt) * options.SpeedUp;

    /// <summary>Where a migration following <paramref name="plan"/> stands after <paramref name="elapsed"/> model time.</summary>
    public static LiveMigrationStatus StatusAt(LiveMigrationRequest request, MigrationPlan plan, TimeSpan elapsed)
    {
        var bandwidth = request.BandwidthMiBps * MigrationWorkload.MiB;
        var at = TimeSpan.Zero;
        long sent = 0;
        foreach (var round in plan.Rounds)
        {
            if (elapsed < at + round.Duration)
            {
                var sentInRound = (long)(round.BytesSent * ((elapsed - at) / round.Duration));
                var remaining = round.BytesSent - sentInRound;
                return new LiveMigrationStatus(MigrationPhase.PreCopy, new MigrationProgress(round.Index, sent + sentInRound,
                    remaining, round.DirtyRateBytesPerSecond / MigrationWorkload.MiB, remaining / bandwidth * 1000,
                    Percent(sent + sentInRound, plan), round.Throttle * 100));
            }

            at += round.Duration;
            sent += round.BytesSent;
        }

        var last = plan.Rounds[^1];
        if (!plan.Succeeded)
        {
            return new LiveMigrationStatus(MigrationPhase.Failed,
                new MigrationProgress(last.Index, sent, last.BytesDirtied, last.DirtyRateBytesPerSecond / MigrationWorkload.MiB,
                    (last.BytesDirtied + request.Policy.DeviceStateBytes) / bandwidth * 1000, Percent(sent, plan), last.Throttle * 100),
                Error: plan.FailureReason);
        }

        if (elapsed < at + plan.Downtime)
        {
            return new LiveMigrationStatus(MigrationPhase.StopAndCopy, new MigrationProgress(last.Index, sent, plan.PausedBytes, 0,
                plan.Downtime.TotalMilliseconds, Percent(sent, plan), last.Throttle * 100));
        }

        at += plan.Downtime;
        sent += plan.PausedBytes;
        if (elapsed < at + plan.PostCopyTime)
        {
            var pulled = (long)(plan.PostCopyBytes * ((elapsed - at) / plan.PostCopyTime));
            return new LiveMigrationStatus(MigrationPhase.PostCopy, new MigrationProgress(last.Index, sent + pulled,
                plan.PostCopyBytes - pulled, 0, 0, Percent(sent + pulled, plan)));
        }

        return new LiveMigrationStatus(MigrationPhase.Completed,
            new MigrationProgress(last.Index, plan.TotalBytes, 0, 0, 0, 100),
            new MigrationOutcome(plan.Method!.Value, plan.Downtime.TotalMilliseconds, plan.Rounds.Count, plan.TotalBytes,
                plan.MaxThrottle * 100, request.Instance.InstanceId, request.Instance.PrivateIp));
    }

    private static double Percent(long sent, MigrationPlan plan) => Math.Round(100.0 * sent / plan.TotalBytes, 1);

    private sealed record Running(LiveMigrationRequest Request, MigrationPlan Plan, DateTimeOffset StartedAt, bool Aborted = false);

    private sealed record Reboot(RebootMoveRequest Request, DateTimeOffset StartedAt);
}
