using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Tests;

public sealed class PreCopyModelTests
{
    private const long GiB = 1024 * PreCopyParameters.MiB;

    private static PreCopyParameters Workload(double dirtyMiBps, long wwsMiB = 64 * 1024) =>
        new(16 * GiB, dirtyMiBps * PreCopyParameters.MiB, wwsMiB * PreCopyParameters.MiB, 1250 * PreCopyParameters.MiB,
            PreCopyParameters.DefaultDowntimeLimit);

    [Fact]
    public void An_idle_instance_moves_in_one_round_with_no_pause()
    {
        var plan = PreCopyModel.Plan(Workload(0));

        Assert.True(plan.Converged);
        Assert.Single(plan.Rounds);
        Assert.Equal(TimeSpan.Zero, plan.Downtime);
        Assert.Equal(16 * GiB, plan.TotalBytes);
    }

    [Fact]
    public void A_converging_workload_stops_once_the_remainder_fits_the_downtime_limit()
    {
        var plan = PreCopyModel.Plan(Workload(300));

        Assert.True(plan.Converged);
        Assert.InRange(plan.Downtime, TimeSpan.Zero, PreCopyParameters.DefaultDowntimeLimit);
        // Each round sends what the previous one dirtied: λ = D/B of the round before.
        for (var i = 1; i < plan.Rounds.Count; i++)
        {
            Assert.Equal(plan.Rounds[i - 1].BytesDirtied, plan.Rounds[i].BytesSent);
        }

        Assert.Equal(plan.Rounds.Sum(r => r.BytesSent) + plan.StopAndCopyBytes, plan.TotalBytes);
    }

    [Fact]
    public void Total_time_matches_the_closed_form_for_lambda_below_one()
    {
        // T_total = (M/B)(1 − λ^(n+1))/(1 − λ) over the rounds sent plus the stop-and-copy.
        var p = Workload(500);
        var plan = PreCopyModel.Plan(p);
        var lambda = p.DirtyRateBytesPerSecond / p.BandwidthBytesPerSecond;
        var n = plan.Rounds.Count;
        var closedForm = p.MemoryBytes / p.BandwidthBytesPerSecond * (1 - Math.Pow(lambda, n + 1)) / (1 - lambda);

        Assert.Equal(closedForm, plan.TotalTime.TotalSeconds, closedForm * 0.01);
    }

    [Fact]
    public void A_workload_dirtying_faster_than_the_link_gives_up_within_the_caps()
    {
        var plan = PreCopyModel.Plan(Workload(2000));

        Assert.False(plan.Converged);
        Assert.True(plan.Rounds.Count <= 30);
        Assert.True(plan.Rounds.Sum(r => r.BytesSent) <= 3 * 16 * GiB + plan.Rounds[^1].BytesSent);
    }

    [Fact]
    public void A_small_writable_working_set_caps_what_each_round_resends()
    {
        var plan = PreCopyModel.Plan(Workload(2000, wwsMiB: 256));

        Assert.True(plan.Converged);
        Assert.All(plan.Rounds.Skip(1), r => Assert.True(r.BytesSent <= 256 * PreCopyParameters.MiB));
    }
}
