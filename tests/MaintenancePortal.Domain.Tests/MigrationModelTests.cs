using CsCheck;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Tests;

public sealed class MigrationModelTests
{
    private const long MiB = MigrationWorkload.MiB;
    private const long GiB = 1024 * MiB;
    private const double Link = 625 * MiB; // 10 Gbit/s shared by two migrations

    private static MigrationWorkload Workload(double dirtyMiBps, long memoryGiB = 16, long? wwsMiB = null) =>
        new(memoryGiB * GiB, dirtyMiBps * MiB, (wwsMiB ?? memoryGiB * 1024) * MiB);

    /// <summary>Liu et al. (HPDC'11): rounds send M·λ^i until the remainder M·λ^n fits B × limit.</summary>
    private static (double TotalSeconds, double DowntimeSeconds) ClosedForm(double m, double d, double b, double limitSeconds)
    {
        var lambda = d / b;
        var n = 1;
        while (m * Math.Pow(lambda, n) > b * limitSeconds)
        {
            n++;
        }

        return (m / b * (1 - Math.Pow(lambda, n + 1)) / (1 - lambda), m * Math.Pow(lambda, n) / b);
    }

    [Fact]
    public void An_idle_instance_moves_in_one_round_pausing_only_for_its_device_state()
    {
        var plan = MigrationModel.Plan(Workload(0), Link, new MigrationPolicy());

        Assert.Equal(MigrationMethod.PreCopy, plan.Method);
        Assert.Single(plan.Rounds);
        Assert.Equal(4 * MiB / Link, plan.Downtime.TotalSeconds, 1e-9);
    }

    [Fact]
    public void A_converging_workload_keeps_copying_until_the_pause_fits_the_target()
    {
        var plan = MigrationModel.Plan(Workload(300), Link, new MigrationPolicy());

        Assert.Equal(MigrationMethod.PreCopy, plan.Method);
        Assert.True(plan.Downtime <= TimeSpan.FromMilliseconds(30), $"paused {plan.Downtime.TotalMilliseconds} ms");
        for (var i = 1; i < plan.Rounds.Count; i++)
        {
            Assert.Equal(plan.Rounds[i - 1].BytesDirtied, plan.Rounds[i].BytesSent);
        }
    }

    [Fact]
    public void The_model_matches_the_closed_form_to_a_millionth_for_lambda_below_one()
    {
        // The closed form knows no device state, working-set cap, target or caps: switch them off.
        var policy = new MigrationPolicy
        {
            DeviceStateBytes = 0, DowntimeTarget = TimeSpan.FromMilliseconds(300), AutoConverge = false,
            MaxRounds = 10_000, MaxTransferFactor = 10_000,
        };
        Gen.Select(Gen.Double[0.01, 0.95], Gen.Long[1, 512], Gen.Double[100, 2500]).Sample((lambda, memoryGiB, bandwidthMiBps) =>
        {
            var b = bandwidthMiBps * MiB;
            var m = memoryGiB * GiB;
            var plan = MigrationModel.Plan(new MigrationWorkload(m, lambda * b, m), b, policy);
            var (total, downtime) = ClosedForm(m, lambda * b, b, 0.3);

            Assert.Equal(MigrationMethod.PreCopy, plan.Method);
            // Tight enough that one round more or less fails it; loose only by each round's duration kept in
            // 100 ns ticks (what a round cuts off is dirtied less in the next, and so on: at most 1 / (1 - λ) ticks).
            var ticks = 1e-7 * (plan.Rounds.Count + 1) / (1 - lambda);
            Assert.Equal(total, plan.TotalTime.TotalSeconds, total * 1e-6 + ticks);
            Assert.Equal(downtime, plan.Downtime.TotalSeconds, downtime * 1e-6 + 2e-7 / (1 - lambda));
        }, iter: 2_000);
    }

    [Fact]
    public void Plain_pre_copy_gives_up_within_xens_caps_when_the_instance_outpaces_the_link()
    {
        Gen.Select(Gen.Double[1.0, 8.0], Gen.Long[1, 512]).Sample((lambda, memoryGiB) =>
        {
            var plan = MigrationModel.Plan(Workload(lambda * 625, memoryGiB), Link, MigrationPolicy.PlainPreCopy);

            Assert.False(plan.Succeeded);
            Assert.True(plan.Rounds.Count <= 30);
            Assert.True(plan.Rounds.Sum(r => r.BytesSent) <= 4 * memoryGiB * GiB);
            Assert.Contains("did not converge", plan.FailureReason);
        }, iter: 500);
    }

    [Fact]
    public void Every_plan_ends_within_its_round_bound_and_its_figures_add_up()
    {
        var policies = Gen.OneOf(new MigrationPolicy(), MigrationPolicy.PlainPreCopy,
            new MigrationPolicy { PostCopy = PostCopyMode.AfterEscalation },
            new MigrationPolicy { PostCopy = PostCopyMode.Hybrid }, new MigrationPolicy { AutoConverge = false });
        Gen.Select(Gen.Double[0, 5000], Gen.Long[1, 512], Gen.Double[0.001, 1.0], Gen.Double[50, 3000], policies)
            .Sample((dirtyMiBps, memoryGiB, wwsShare, bandwidthMiBps, policy) =>
            {
                var b = bandwidthMiBps * MiB;
                var workload = new MigrationWorkload(memoryGiB * GiB, dirtyMiBps * MiB, (long)(memoryGiB * GiB * wwsShare));
                var plan = MigrationModel.Plan(workload, b, policy);

                Assert.True(plan.Rounds.Count <= policy.MaxRounds + policy.MaxEscalationRounds);
                Assert.Equal(plan.Rounds.Sum(r => r.BytesSent) + plan.PausedBytes + plan.PostCopyBytes, plan.TotalBytes);
                Assert.Equal((plan.PreCopyTime + plan.Downtime + plan.PostCopyTime).TotalSeconds, plan.TotalTime.TotalSeconds, 1e-6);
                Assert.InRange(plan.MaxThrottle, 0, policy.MaxThrottle);
                if (plan.Method == MigrationMethod.PreCopy && b >= 100 * MiB)
                {
                    Assert.True(plan.Downtime <= policy.DowntimeLimit + TimeSpan.FromTicks(1), $"paused {plan.Downtime.TotalMilliseconds} ms");
                }
            }, iter: 3_000);
    }

    [Fact]
    public void Auto_converge_throttles_a_write_heavy_database_until_pre_copy_converges()
    {
        // 2,000 MiB/s of writes against 625 MiB/s: λ = 3.2, so at least 69 % throttle is needed.
        var plan = MigrationModel.Plan(Workload(2000, memoryGiB: 64), Link, new MigrationPolicy());

        Assert.Equal(MigrationMethod.PreCopy, plan.Method);
        Assert.InRange(plan.MaxThrottle, 0.69, 0.99);
        Assert.Equal(0.2, plan.Rounds.First(r => r.Throttle > 0).Throttle, 1e-9);
        Assert.True(plan.Downtime <= TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Without_auto_converge_post_copy_takes_over_when_the_policy_allows_it()
    {
        var policy = new MigrationPolicy { AutoConverge = false, PostCopy = PostCopyMode.AfterEscalation };

        var plan = MigrationModel.Plan(Workload(2000, memoryGiB: 64), Link, policy);

        Assert.Equal(MigrationMethod.PostCopy, plan.Method);
        Assert.Equal(4 * MiB / Link, plan.Downtime.TotalSeconds, 1e-9);
        Assert.True(plan.PostCopyBytes > 0);
    }

    [Fact]
    public void Hybrid_switches_to_post_copy_after_its_pre_copy_rounds()
    {
        var plan = MigrationModel.Plan(Workload(500, memoryGiB: 64), Link, new MigrationPolicy { PostCopy = PostCopyMode.Hybrid });

        Assert.Equal(MigrationMethod.PostCopy, plan.Method);
        Assert.Equal(2, plan.Rounds.Count);
    }

    [Fact]
    public void A_small_writable_working_set_caps_what_each_round_resends()
    {
        var plan = MigrationModel.Plan(Workload(2000, wwsMiB: 100), Link, MigrationPolicy.PlainPreCopy);

        Assert.True(plan.Succeeded);
        Assert.All(plan.Rounds.Skip(1), r => Assert.True(r.BytesSent <= 100 * MiB));
    }
}
