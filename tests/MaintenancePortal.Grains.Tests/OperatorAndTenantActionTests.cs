using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.Grains.Tests;

public sealed class OperatorAndTenantActionTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IGrainFactory Grains => fixture.Grains;

    private async Task<DemoFleet> SeedAsync(string tenant, MovePreference preference, params string[] names)
    {
        DedicatedHostSpec Host(string id) => new(id, tenant, "m7", "zone-a", new Resources(64, 256 * 1024), 1250);
        var fleet = new DemoFleet([new TenantSpec(tenant, tenant)], [Host($"{tenant}-src"), Host($"{tenant}-dst1"), Host($"{tenant}-dst2")],
            [.. names.Select((n, i) => new InstancePlacement(new InstanceSpec($"i-{tenant}-{i}", tenant, n, "m7", new Resources(4, 16_384),
                $"10.8.{tenant.Length}.{i + 4}", 50, 1024), $"{tenant}-src"))]);
        await Grains.SeedAsync(fleet, Ct);
        await Grains.GetGrain<ITenantGrain>(tenant).SetPreferencesAsync(new TenantPreferences(preference, new Dictionary<string, MovePreference>(), []));
        return fleet;
    }

    private async Task<InstanceMove> MoveAsync(string instanceId) =>
        (await Grains.GetGrain<IInstanceGrain>(instanceId).GetAsync())!.Moves[^1];

    private static Task EventuallyAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition, TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Cancelling_a_maintenance_cancels_moves_not_started_and_the_host_takes_instances_again()
    {
        await SeedAsync("golf", MovePreference.AskFirst, "web-01", "web-02");
        var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-golf");
        await maintenance.StartAsync("golf-src", MaintenanceReason.FirmwareUpdate);

        var cancelled = await maintenance.CancelAsync();

        Assert.Equal(MaintenanceState.Cancelled, cancelled.State);
        Assert.All(cancelled.Moves.Values, m => Assert.Equal(MoveState.Cancelled, m.State));
        Assert.Equal(HostState.Available, (await Grains.GetGrain<IDedicatedHostGrain>("golf-src").GetAsync())!.State);
        foreach (var destination in new[] { "golf-dst1", "golf-dst2" })
        {
            Assert.Empty((await Grains.GetGrain<IDedicatedHostGrain>(destination).GetAsync())!.Reserved);
        }

        Assert.Equal(2, (await Grains.GetGrain<IDedicatedHostGrain>("golf-src").GetAsync())!.Placed.Count);
        await EventuallyAsync(() => Task.FromResult(fixture.Received.OfType<HostMaintenanceCancelled>().Any(e => e.MaintenanceId == "mnt-golf")));
        Assert.Equal(2, fixture.Received.OfType<InstanceMoveCancelled>().Count(e => e.MaintenanceId == "mnt-golf"));
        await Assert.ThrowsAsync<DomainException>(() => maintenance.CancelAsync());
    }

    [Fact]
    public async Task A_tenant_reschedule_up_to_the_latest_start_is_honoured_one_past_it_refused_and_start_now_runs_it()
    {
        await SeedAsync("hotel", MovePreference.AskFirst, "db-01");
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-hotel").StartAsync("hotel-src", MaintenanceReason.FirmwareUpdate);
        var move = await MoveAsync("i-hotel-0");
        var instance = Grains.GetGrain<IInstanceGrain>("i-hotel-0");
        Assert.Equal(move.LatestStart, move.NotBefore); // asked first: waits until the latest safe start

        var tooLate = await Assert.ThrowsAsync<DomainException>(() => instance.RescheduleMoveAsync(move.MoveId, move.LatestStart.AddMinutes(1)));
        Assert.Contains("too late", tooLate.Message);
        var earlier = await instance.RescheduleMoveAsync(move.MoveId, move.LatestStart.AddHours(-1));
        Assert.Equal(move.LatestStart.AddHours(-1), earlier.NotBefore);

        await instance.ApproveMoveAsync(move.MoveId);
        await EventuallyAsync(async () => (await Grains.GetGrain<IMaintenanceEventGrain>("mnt-hotel").GetAsync())!.State == MaintenanceState.Drained);
        Assert.Equal(MoveState.Completed, (await MoveAsync("i-hotel-0")).State);
        var again = await Assert.ThrowsAsync<DomainException>(() => instance.ApproveMoveAsync(move.MoveId));
        Assert.Contains("nothing left to approve", again.Message);
    }

    [Fact]
    public async Task An_operator_abort_is_retried_on_another_host()
    {
        await SeedAsync("india", MovePreference.LiveMigrate, "stuck-01");
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-india").StartAsync("india-src", MaintenanceReason.FirmwareUpdate);
        await EventuallyAsync(async () => (await MoveAsync("i-india-0")).State == MoveState.Migrating);
        var first = (await MoveAsync("i-india-0")).DestinationHostId;

        await Grains.GetGrain<IInstanceGrain>("i-india-0").AbortMoveAsync((await MoveAsync("i-india-0")).MoveId, "Aborted by an operator.");

        await EventuallyAsync(async () => (await MoveAsync("i-india-0")).State == MoveState.Completed);
        var done = await MoveAsync("i-india-0");
        Assert.Equal(1, done.FailedLiveAttempts);
        Assert.NotEqual(first, done.DestinationHostId);
        Assert.Contains("Aborted by an operator", done.FailureReason);
    }

    [Fact]
    public async Task An_operator_can_force_a_stuck_migration_to_finish_by_post_copy()
    {
        await SeedAsync("juliet", MovePreference.LiveMigrate, "stuck-01");
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-juliet").StartAsync("juliet-src", MaintenanceReason.FirmwareUpdate);
        await EventuallyAsync(async () => (await MoveAsync("i-juliet-0")).State == MoveState.Migrating);

        await Grains.GetGrain<IInstanceGrain>("i-juliet-0").ForceCompleteMoveAsync((await MoveAsync("i-juliet-0")).MoveId, ForceCompletion.PostCopy);

        await EventuallyAsync(async () => (await MoveAsync("i-juliet-0")).State == MoveState.Completed);
        var done = await MoveAsync("i-juliet-0");
        Assert.Equal(0, done.FailedLiveAttempts);
        Assert.True(done.Receipt!.InstanceIdKept && done.Receipt.PrivateIpKept);
    }

    [Fact]
    public async Task A_drained_host_returns_to_service_when_its_maintenance_is_completed()
    {
        await SeedAsync("kilo", MovePreference.LiveMigrate, "web-01");
        var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-kilo");
        await maintenance.StartAsync("kilo-src", MaintenanceReason.HardwareReplacement);
        await Assert.ThrowsAsync<DomainException>(() => maintenance.CompleteAsync());
        await EventuallyAsync(async () => (await maintenance.GetAsync())!.State == MaintenanceState.Drained);

        var completed = await maintenance.CompleteAsync();

        Assert.Equal(MaintenanceState.Completed, completed.State);
        Assert.Equal(HostState.Available, (await Grains.GetGrain<IDedicatedHostGrain>("kilo-src").GetAsync())!.State);
        await EventuallyAsync(() => Task.FromResult(fixture.Received.OfType<HostMaintenanceCompleted>().Any(e => e.MaintenanceId == "mnt-kilo")));
    }

    [Fact]
    public async Task An_instance_without_room_is_announced_at_risk_and_moved_once_room_appears()
    {
        var tenant = "lima";
        DedicatedHostSpec Host(string id, string? owner) => new(id, owner, "m7", "zone-a", new Resources(64, 256 * 1024), 1250);
        var instance = new InstanceSpec("i-lima-0", tenant, "web-01", "m7", new Resources(4, 16_384), "10.8.4.4", 50, 1024);
        await Grains.SeedAsync(new DemoFleet([new TenantSpec(tenant, tenant)], [Host("lima-src", tenant)],
            [new InstancePlacement(instance, "lima-src")]), Ct);
        var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-lima");

        var started = await maintenance.StartAsync("lima-src", MaintenanceReason.FirmwareUpdate);

        Assert.Equal(["i-lima-0"], started.Unplaced);
        await EventuallyAsync(() => Task.FromResult(fixture.Received.OfType<SlaAtRisk>().Any(e => e.InstanceId == "i-lima-0")));

        await Grains.SeedAsync(new DemoFleet([], [Host("lima-spare", null)], []), Ct);
        await EventuallyAsync(async () => (await maintenance.GetAsync())!.State == MaintenanceState.Drained);
        Assert.Equal("lima-spare", (await Grains.GetGrain<IInstanceGrain>("i-lima-0").GetAsync())!.HostId);
    }

    [Fact]
    public async Task Events_written_while_the_broker_is_away_are_published_when_it_returns_and_none_is_lost()
    {
        await SeedAsync("november", MovePreference.LiveMigrate, "web-01", "db-01");
        fixture.Bus.Down = true;
        try
        {
            var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-november");
            await maintenance.StartAsync("november-src", MaintenanceReason.FirmwareUpdate);
            await EventuallyAsync(async () => (await maintenance.GetAsync())!.State == MaintenanceState.Drained);
            Assert.DoesNotContain(fixture.Received, e => e.MaintenanceId == "mnt-november");
        }
        finally
        {
            fixture.Bus.Down = false;
        }

        await EventuallyAsync(() => Task.FromResult(fixture.Received.Any(e => e is HostDrained { MaintenanceId: "mnt-november" })
                                                    && fixture.Received.Count(e => e is InstanceMigrationCompleted { MaintenanceId: "mnt-november" }) == 2));
        var events = fixture.Received.Where(e => e.MaintenanceId == "mnt-november").ToList();
        Assert.Equal(events.Count, events.Select(e => e.EventId).Distinct().Count());
        Assert.Single(events.OfType<HostMaintenanceStarted>());
        Assert.Equal(2, events.OfType<InstanceMigrationScheduled>().Count());
        Assert.Equal(2, events.OfType<InstanceMigrationStarted>().Count());
        foreach (var instance in new[] { "i-november-0", "i-november-1" })
        {
            var own = events.Where(e => e.Subject == instance).Select(e => e.GetType()).ToList();
            Assert.True(own.IndexOf(typeof(InstanceMigrationScheduled)) < own.IndexOf(typeof(InstanceMigrationCompleted)));
        }
    }
}
