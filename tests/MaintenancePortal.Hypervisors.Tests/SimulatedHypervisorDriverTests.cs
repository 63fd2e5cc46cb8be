using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Hypervisors.Simulated;
using Microsoft.Extensions.Time.Testing;

namespace MaintenancePortal.Hypervisors.Tests;

public sealed class SimulatedHypervisorDriverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private SimulatedHypervisorDriver Driver(double speedUp = 1) => new(_clock, new SimulatedHypervisorOptions { SpeedUp = speedUp });

    private static LiveMigrationRequest Request(double dirtyMiBps, MigrationPolicy? policy = null) => new("mv-1",
        new InstanceSpec("i-0abc", "t1", "db-01", "m7", new Resources(4, 16_384), "10.1.0.4", dirtyMiBps, 16_384),
        "h1", "h2", 1250, policy ?? new MigrationPolicy { AutoConverge = false });

    [Fact]
    public async Task A_migration_goes_through_pre_copy_rounds_and_completes_with_the_same_id_and_ip()
    {
        var driver = Driver();
        await driver.StartLiveMigrationAsync(Request(200), Ct);

        var first = await driver.GetStatusAsync("mv-1", Ct);
        Assert.Equal(MigrationPhase.PreCopy, first.Phase);
        Assert.Equal(0, first.Progress!.Round);

        // 16 GiB at 1,250 MiB/s is 13.1 s for round 0; later rounds are shorter.
        _clock.Advance(TimeSpan.FromSeconds(14));
        var second = await driver.GetStatusAsync("mv-1", Ct);
        Assert.Equal(MigrationPhase.PreCopy, second.Phase);
        Assert.Equal(1, second.Progress!.Round);
        Assert.True(second.Progress.PercentComplete > first.Progress.PercentComplete);

        _clock.Advance(TimeSpan.FromMinutes(1));
        var done = await driver.GetStatusAsync("mv-1", Ct);
        Assert.Equal(MigrationPhase.Completed, done.Phase);
        Assert.Equal(("i-0abc", "10.1.0.4"), (done.Result!.InstanceIdOnDestination, done.Result.PrivateIpOnDestination));
        Assert.Equal(MigrationMethod.PreCopy, done.Result.Method);
        Assert.InRange(done.Result.DowntimeMs, 0, 30);
        Assert.True(done.Result.Rounds > 1);
    }

    [Fact]
    public async Task Speed_up_shortens_the_wall_clock_time()
    {
        var driver = Driver(speedUp: 100);
        await driver.StartLiveMigrationAsync(Request(0), Ct);

        _clock.Advance(TimeSpan.FromSeconds(0.2));

        Assert.Equal(MigrationPhase.Completed, (await driver.GetStatusAsync("mv-1", Ct)).Phase);
    }

    [Fact]
    public async Task Starting_the_same_migration_twice_does_not_restart_it()
    {
        var driver = Driver();
        await driver.StartLiveMigrationAsync(Request(0), Ct);
        _clock.Advance(TimeSpan.FromSeconds(10));

        await driver.StartLiveMigrationAsync(Request(0), Ct);
        _clock.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(MigrationPhase.Completed, (await driver.GetStatusAsync("mv-1", Ct)).Phase);
    }

    [Fact]
    public async Task A_workload_that_outpaces_the_link_fails_and_says_why()
    {
        var driver = Driver();
        await driver.StartLiveMigrationAsync(Request(5000), Ct);

        _clock.Advance(TimeSpan.FromHours(1));
        var status = await driver.GetStatusAsync("mv-1", Ct);

        Assert.Equal(MigrationPhase.Failed, status.Phase);
        Assert.Contains("did not converge", status.Error);
    }

    [Fact]
    public async Task A_migration_the_driver_never_started_is_unknown()
    {
        Assert.Equal(MigrationPhase.Unknown, (await Driver().GetStatusAsync("nope", Ct)).Phase);
    }

    [Fact]
    public async Task An_escalated_migration_reports_its_throttle_and_the_receipt_keeps_the_highest()
    {
        var driver = Driver();
        await driver.StartLiveMigrationAsync(Request(5000, new MigrationPolicy()), Ct);

        var throttles = new List<double>();
        for (var i = 0; i < 400; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(0.5));
            var status = await driver.GetStatusAsync("mv-1", Ct);
            if (status.Phase == MigrationPhase.Completed)
            {
                Assert.Equal(throttles.Max(), status.Result!.MaxThrottlePercent, 1e-9);
                Assert.True(status.Result.MaxThrottlePercent >= 75);
                return;
            }

            throttles.Add(status.Progress!.ThrottlePercent);
        }

        Assert.Fail("The migration never completed.");
    }

    [Fact]
    public void A_post_copy_migration_resumes_on_the_destination_then_pulls_the_rest()
    {
        var request = Request(5000, new MigrationPolicy { PostCopy = PostCopyMode.Hybrid });
        var plan = MigrationModel.Plan(MigrationWorkload.Of(request.Instance), 1250 * MigrationWorkload.MiB, request.Policy);
        var pre = plan.PreCopyTime;

        var phases = new[]
        {
            pre / 2, pre + plan.Downtime / 2, pre + plan.Downtime + plan.PostCopyTime / 2, plan.TotalTime + TimeSpan.FromSeconds(1),
        }.Select(at => SimulatedHypervisorDriver.StatusAt(request, plan, at)).ToList();

        Assert.Equal([MigrationPhase.PreCopy, MigrationPhase.StopAndCopy, MigrationPhase.PostCopy, MigrationPhase.Completed],
            phases.Select(p => p.Phase));
        Assert.InRange(phases[2].Progress!.PercentComplete, phases[1].Progress!.PercentComplete, 100);
        Assert.Equal(MigrationMethod.PostCopy, phases[3].Result!.Method);
    }
}
