using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;
using Microsoft.Extensions.Time.Testing;

namespace MaintenancePortal.Domain.Tests;

public sealed class SlaPlannerTests
{
    private const long MiB = MigrationWorkload.MiB;
    private static readonly DateTimeOffset Trigger = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero); // a Wednesday
    private static readonly DateTimeOffset Deadline = Trigger.AddHours(24);
    private static readonly MaintenanceOptions Options = new();

    private static MigrationPlan Predict(double dirtyMiBps, double bandwidthMiBps = 625, long memoryGiB = 16, MigrationPolicy? policy = null) =>
        MigrationModel.Plan(new MigrationWorkload(memoryGiB * 1024 * MiB, dirtyMiBps * MiB, memoryGiB * 1024 * MiB),
            bandwidthMiBps * MiB, policy ?? new MigrationPolicy());

    private static MoveContext Context(DateTimeOffset now, MigrationPlan prediction, MaintenanceReason reason = MaintenanceReason.FirmwareUpdate,
        MovePreference preference = MovePreference.LiveMigrate, TenantPreferences? tenant = null, int failed = 0) =>
        new(now, Deadline, ReasonProfile.For(reason, Options), preference, tenant ?? TenantPreferences.None, prediction, failed);

    [Fact]
    public void A_converging_instance_is_live_migrated_after_the_notice()
    {
        var decision = SlaPlanner.Decide(Context(Trigger, Predict(100)), Options);

        Assert.Equal(MoveAction.LiveMigration, decision.Action);
        Assert.Equal(Trigger + Options.LiveMigrationNotice, decision.NotBefore);
        Assert.True(decision.LatestStart < Deadline - Options.SafetyMargin - Options.RebootDuration - Options.RebootNotice);
    }

    [Fact]
    public void Degraded_hardware_gets_the_shorter_notice()
    {
        var decision = SlaPlanner.Decide(Context(Trigger, Predict(100), MaintenanceReason.DegradedHardware), Options);

        Assert.Equal(Trigger + Options.UrgentNotice, decision.NotBefore);
    }

    [Fact]
    public void A_workload_that_cannot_converge_is_rebooted_as_late_as_still_finishes_for_planned_work()
    {
        var hopeless = Predict(5000, bandwidthMiBps: 50, policy: MigrationPolicy.PlainPreCopy);

        var decision = SlaPlanner.Decide(Context(Trigger, hopeless), Options);

        Assert.Equal(MoveAction.RebootMove, decision.Action);
        Assert.Equal(Deadline - Options.SafetyMargin - Options.RebootDuration, decision.NotBefore);
        Assert.Contains("cannot converge", decision.Why);
    }

    [Fact]
    public void On_degraded_hardware_a_reboot_comes_as_soon_as_the_notice_allows()
    {
        var hopeless = Predict(5000, bandwidthMiBps: 50, policy: MigrationPolicy.PlainPreCopy);

        var decision = SlaPlanner.Decide(Context(Trigger, hopeless, MaintenanceReason.DegradedHardware), Options);

        Assert.Equal(Trigger + Options.RebootNotice, decision.NotBefore);
    }

    [Fact]
    public void After_the_allowed_live_attempts_the_move_falls_back_to_a_reboot()
    {
        var decision = SlaPlanner.Decide(Context(Trigger.AddHours(1), Predict(100), failed: Options.MaxLiveAttempts), Options);

        Assert.Equal(MoveAction.RebootMove, decision.Action);
        Assert.Contains("failed 2 times", decision.Why);
    }

    [Fact]
    public void A_retry_on_another_host_starts_without_a_second_notice()
    {
        var now = Trigger.AddHours(1);

        var decision = SlaPlanner.Decide(Context(now, Predict(100), failed: 1), Options);

        Assert.Equal((MoveAction.LiveMigration, now), (decision.Action, decision.NotBefore));
    }

    [Fact]
    public void Late_in_the_span_a_live_move_that_could_not_fall_back_in_time_becomes_a_reboot()
    {
        var prediction = Predict(100);
        var tooLate = SlaPlanner.LatestLiveStart(Deadline, prediction, Options) - Options.LiveMigrationNotice + TimeSpan.FromSeconds(1);

        var decision = SlaPlanner.Decide(Context(tooLate, prediction), Options);

        Assert.Equal(MoveAction.RebootMove, decision.Action);
    }

    [Fact]
    public void Too_late_even_for_a_full_reboot_notice_the_move_goes_as_soon_as_possible_and_says_the_deadline_is_at_risk()
    {
        var now = Deadline.AddMinutes(-30);

        var decision = SlaPlanner.Decide(Context(now, Predict(100)), Options);

        Assert.Equal((MoveAction.RebootMove, now + Options.RebootNotice), (decision.Action, decision.NotBefore));
        Assert.Contains("at risk", decision.Why);
    }

    [Fact]
    public void A_tenant_who_asks_first_is_waited_for_until_the_latest_safe_start()
    {
        var prediction = Predict(100);

        var decision = SlaPlanner.Decide(Context(Trigger, prediction, preference: MovePreference.AskFirst), Options);

        Assert.Equal(SlaPlanner.LatestLiveStart(Deadline, prediction, Options), decision.NotBefore);
    }

    [Fact]
    public void Live_migrations_and_reboots_go_into_the_tenants_window_when_one_fits_before_the_deadline()
    {
        // Thursday 02:00–04:00 UTC, the night before the deadline (Thursday 12:00).
        var tenant = new TenantPreferences(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [new MaintenanceWindow(DayOfWeek.Thursday, new TimeOnly(2, 0), TimeSpan.FromHours(2))]);
        var thursday2am = new DateTimeOffset(2026, 11, 26, 2, 0, 0, TimeSpan.Zero);

        var live = SlaPlanner.Decide(Context(Trigger, Predict(100), tenant: tenant), Options);
        var reboot = SlaPlanner.Decide(Context(Trigger, Predict(100), preference: MovePreference.RebootInWindow, tenant: tenant), Options);

        Assert.Equal((MoveAction.LiveMigration, thursday2am), (live.Action, live.NotBefore));
        Assert.Equal((MoveAction.RebootMove, thursday2am), (reboot.Action, reboot.NotBefore));
    }

    [Fact]
    public void A_window_after_the_deadline_is_not_waited_for()
    {
        var tenant = new TenantPreferences(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(),
            [new MaintenanceWindow(DayOfWeek.Saturday, new TimeOnly(2, 0), TimeSpan.FromHours(2))]);

        var decision = SlaPlanner.Decide(Context(Trigger, Predict(100), tenant: tenant), Options);

        Assert.Equal(Trigger + Options.LiveMigrationNotice, decision.NotBefore);
    }

    [Fact]
    public void A_running_live_migration_overruns_once_it_has_used_twice_its_predicted_time()
    {
        var prediction = Predict(100);
        var decision = SlaPlanner.Decide(Context(Trigger, prediction), Options);
        var move = InstanceMove.Schedule("mv-1", "m1", TestFleet.Instance("i-1"), MaintenanceReason.FirmwareUpdate, "h1", "h2", Trigger,
            Deadline, decision).Start(decision.NotBefore);
        var allowance = prediction.TotalTime * Options.PredictionSafetyFactor;
        var tracked = MaintenanceEvent.Trigger("m1", "h1", "contoso", MaintenanceReason.FirmwareUpdate, Trigger, Options).Track(move).Moves["i-1"];

        Assert.Equal(allowance, move.LiveAllowance);
        Assert.False(tracked.IsOverrunning(decision.NotBefore + allowance - TimeSpan.FromSeconds(1)));
        Assert.True(tracked.IsOverrunning(decision.NotBefore + allowance + TimeSpan.FromSeconds(1)));
        Assert.False(tracked.MustBeReplanned(Deadline)); // running: it is aborted first, then replanned
    }

    [Fact]
    public void Scenario_a_write_heavy_database_on_a_slow_link_escalates_then_is_rebooted_with_notice_before_the_deadline()
    {
        var clock = new FakeTimeProvider(Trigger);
        var options = Options;
        var link = 100.0 * MiB; // a slow, shared link
        var policy = new MigrationPolicy();

        // Planned from what was observed before: 40 MiB/s of writes converges.
        var observed = new MigrationWorkload(64L * 1024 * MiB, 40 * MiB, 8L * 1024 * MiB);
        var decision = SlaPlanner.Decide(new MoveContext(clock.GetUtcNow(), Deadline, ReasonProfile.For(MaintenanceReason.FirmwareUpdate, options),
            MovePreference.LiveMigrate, TenantPreferences.None, MigrationModel.Plan(observed, link, policy)), options);
        Assert.Equal(MoveAction.LiveMigration, decision.Action);

        // When it runs, the database writes 20 GiB/s: auto-converge throttles to the maximum and still fails.
        clock.SetUtcNow(decision.NotBefore);
        var actual = observed with { DirtyRateBytesPerSecond = 20 * 1024 * MiB };
        var attempt = MigrationModel.Plan(actual, link, policy);
        Assert.False(attempt.Succeeded);
        Assert.Equal(policy.MaxThrottle, attempt.MaxThrottle, 1e-9);
        clock.Advance(attempt.TotalTime);
        Assert.True(clock.GetUtcNow() <= decision.LatestStart + SlaPlanner.LiveAllowance(MigrationModel.Plan(observed, link, policy), options));

        // Replanned from what the attempt saw: a reboot, announced with full notice, that still finishes in time.
        var failedAt = clock.GetUtcNow();
        var fallback = SlaPlanner.Decide(new MoveContext(failedAt, Deadline, ReasonProfile.For(MaintenanceReason.FirmwareUpdate, options),
            MovePreference.LiveMigrate, TenantPreferences.None, attempt, FailedLiveAttempts: 1), options);
        Assert.Equal(MoveAction.RebootMove, fallback.Action);
        Assert.True(fallback.NotBefore - failedAt >= options.RebootNotice);

        clock.SetUtcNow(fallback.NotBefore);
        clock.Advance(options.RebootDuration);
        Assert.True(clock.GetUtcNow() <= Deadline - options.SafetyMargin);
    }
}
