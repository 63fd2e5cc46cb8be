using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Outbox;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Server.Access;
using MaintenancePortal.Server.Audit;
using MaintenancePortal.Server.Fleet;
using MaintenancePortal.Server.Portal;
using MaintenancePortal.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Core.Internal;

namespace MaintenancePortal.Grains.Tests;

/// <summary>
/// Whatever a change owes (a slot release, a reservation given back, a cancellation, an event) is
/// done by itself once the failing part answers again: no page view, no call, no restart needed.
/// Calls fail as they do when the silo holding a grain has died and the cluster has not noticed yet.
/// </summary>
public sealed class OwedWorkTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    /// <summary>How soon after the fault heals everything owed must be done (the retry timer runs every 2 s).</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IGrainFactory Grains => fixture.Grains;

    private async Task SeedAsync(string tenant, int destinationHosts, MovePreference preference, params string[] names) =>
        await SeedAsync(tenant, destinationHosts, spares: 0, preference, names);

    private async Task SeedAsync(string tenant, int destinationHosts, int spares, MovePreference preference, params string[] names)
    {
        Assert.True(await Grains.SeedAsync(Fleet(tenant, destinationHosts, spares, names), Ct));
        await Grains.GetGrain<ITenantGrain>(tenant).SetPreferencesAsync(new TenantPreferences(preference, new Dictionary<string, MovePreference>(), []));
    }

    /// <summary>A tenant's source host holding the named instances, its destination hosts, and spares.</summary>
    private static DemoFleet Fleet(string tenant, int destinationHosts, int spares, params string[] names)
    {
        DedicatedHostSpec Host(string id, string? owner = null) => new(id, owner ?? tenant, "m7", "zone-a", new Resources(64, 256 * 1024), 1250);
        return new DemoFleet([new TenantSpec(tenant, tenant)],
            [
                Host($"{tenant}-src"), .. Enumerable.Range(1, destinationHosts).Select(i => Host($"{tenant}-dst{i}")),
                .. Enumerable.Range(1, spares).Select(i => new DedicatedHostSpec($"{tenant}-spare{i}", null, "m7", "zone-a", new Resources(64, 256 * 1024), 1250)),
            ],
            [.. names.Select((n, i) => new InstancePlacement(new InstanceSpec($"i-{tenant}-{i}", tenant, n, "m7", new Resources(4, 16_384),
                $"10.7.{tenant.Length}.{i + 4}", 120, 2048), $"{tenant}-src"))]);
    }

    /// <summary>What the tenant's grains stored as owed, read from storage by the same check operators run.</summary>
    private async Task<IReadOnlyList<OwedItem>> OwedAsync(string tenant, int destinationHosts, int instances, int spares = 0) =>
        OwedWorkCheck.Find(await fixture.StoredAsync([$"mnt-{tenant}"],
            Enumerable.Range(0, instances).Select(i => $"i-{tenant}-{i}"),
            [
                $"{tenant}-src", .. Enumerable.Range(1, destinationHosts).Select(i => $"{tenant}-dst{i}"),
                .. Enumerable.Range(1, spares).Select(i => $"{tenant}-spare{i}"),
            ]));

    private async Task AssertNothingOwedAsync(string tenant, int destinationHosts, int instances, int spares = 0)
    {
        var owed = await OwedAsync(tenant, destinationHosts, instances, spares);
        Assert.True(owed.Count == 0, string.Join("\n", owed));
    }

    private async Task<MaintenanceEvent> MaintenanceAsync(string maintenanceId) =>
        (await Grains.GetGrain<IMaintenanceEventGrain>(maintenanceId).GetAsync())!;

    private async Task<DedicatedHost> HostAsync(string hostId) => (await Grains.GetGrain<IDedicatedHostGrain>(hostId).GetAsync())!;

    private async Task<IReadOnlyList<MigrationSlot>> SlotsLeavingAsync(string hostId) =>
        [.. (await Grains.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default).GetAsync()).Held.Values.Where(s => s.SourceHostId == hostId)];

    [Fact]
    public async Task A_slot_release_that_failed_is_made_by_itself_once_the_slots_answer_again()
    {
        await SeedAsync("india", destinationHosts: 1, MovePreference.LiveMigrate, "web-01", "web-02");
        using (var releasesFail = fixture.Faults.FailCalls<IMigrationSlotsGrain>(nameof(IMigrationSlotsGrain.ReleaseAsync)))
        {
            await Grains.GetGrain<IMaintenanceEventGrain>("mnt-india").StartAsync("india-src", MaintenanceReason.FirmwareUpdate);
            await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-india")).State == MaintenanceState.Drained, Bound);
            Assert.True(fixture.Faults.Failed<IMigrationSlotsGrain>(nameof(IMigrationSlotsGrain.ReleaseAsync)) > 0);
            Assert.NotEmpty(await SlotsLeavingAsync("india-src")); // the releases were cut off
            var owed = await OwedAsync("india", destinationHosts: 1, instances: 2);
            Assert.Contains(owed, o => o.What == OwedWorkCheck.SlotHeld);
            Assert.Contains(owed, o => o.What == OwedWorkCheck.CallsNotMade && o.Where == "maintenance mnt-india");
        }

        // The host is drained and its event stopped ticking: the releases still happen, by themselves.
        await Eventually.HoldsAsync(async () => (await SlotsLeavingAsync("india-src")).Count == 0, Bound,
            () => "The drained host's moves still hold migration slots.");
        await AssertNothingOwedAsync("india", destinationHosts: 1, instances: 2);
    }

    [Fact]
    public async Task Moves_the_tenants_list_could_not_take_reach_it_by_themselves_once_it_answers_again()
    {
        await SeedAsync("uniform", destinationHosts: 1, MovePreference.LiveMigrate, "web-01", "web-02");
        using (fixture.Faults.FailCalls<ITenantMovesGrain>(nameof(ITenantMovesGrain.RecordAsync)))
        {
            await Grains.GetGrain<IMaintenanceEventGrain>("mnt-uniform").StartAsync("uniform-src", MaintenanceReason.FirmwareUpdate);
            await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-uniform")).State == MaintenanceState.Drained, Bound);
            Assert.True(fixture.Faults.Failed<ITenantMovesGrain>(nameof(ITenantMovesGrain.RecordAsync)) > 0);
            Assert.Contains(await OwedAsync("uniform", destinationHosts: 1, instances: 2), o => o.What == OwedWorkCheck.CallsNotMade);
        }

        // Nothing touches the instances again: their own retries bring the list up to date, each move as it ended.
        await Eventually.HoldsAsync(async () =>
            (await Grains.GetGrain<ITenantMovesGrain>("uniform").QueryAsync(new MoveQuery(), null)).Counts == new MoveCounts(0, 0, 2, 0, 0), Bound,
            () => "The tenant's list of moves never caught up.");
        await AssertNothingOwedAsync("uniform", destinationHosts: 1, instances: 2);
    }

    [Fact]
    public async Task A_reservation_made_for_a_move_that_could_not_be_scheduled_is_given_back()
    {
        await SeedAsync("juliet", destinationHosts: 1, MovePreference.AskFirst, "db-01");
        using (fixture.Faults.FailCalls<IInstanceGrain>(nameof(IInstanceGrain.ScheduleMoveAsync)))
        {
            await Grains.GetGrain<IMaintenanceEventGrain>("mnt-juliet").StartAsync("juliet-src", MaintenanceReason.FirmwareUpdate);
            Assert.True(fixture.Faults.Failed<IInstanceGrain>(nameof(IInstanceGrain.ScheduleMoveAsync)) > 0);
            Assert.Empty((await MaintenanceAsync("mnt-juliet")).Moves);
        }

        // Placed again, once: the destination holds exactly the one reservation of the scheduled move.
        await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-juliet")).Moves.ContainsKey("i-juliet-0"), Bound);
        var move = (await MaintenanceAsync("mnt-juliet")).Moves["i-juliet-0"];
        Assert.Equal(["i-juliet-0"], (await HostAsync(move.DestinationHostId)).Reserved.Keys);

        // Called off: the room goes back too.
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-juliet").CancelAsync();
        await Eventually.HoldsAsync(async () => (await HostAsync("juliet-dst1")).Reserved.IsEmpty, Bound);
        await AssertNothingOwedAsync("juliet", destinationHosts: 1, instances: 1);
    }

    [Fact]
    public async Task A_spare_taken_from_the_pool_whose_assignment_failed_is_given_to_the_tenant_by_itself()
    {
        await SeedAsync("mike", destinationHosts: 0, spares: 1, MovePreference.LiveMigrate, "db-01");
        using (fixture.Faults.FailCalls<IDedicatedHostGrain>(nameof(IDedicatedHostGrain.AssignToAsync)))
        {
            await Grains.GetGrain<IMaintenanceEventGrain>("mnt-mike").StartAsync("mike-src", MaintenanceReason.FirmwareUpdate);
            Assert.True(fixture.Faults.Failed<IDedicatedHostGrain>(nameof(IDedicatedHostGrain.AssignToAsync)) > 0);
            Assert.DoesNotContain("mike-spare1", (await Grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync()).SpareHostIds);
            Assert.Contains(await OwedAsync("mike", destinationHosts: 0, instances: 1), o => o.Where == "fleet");
        }

        // Out of the pool and owed to the tenant: it becomes the tenant's host, and the instance moves there.
        await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-mike")).State == MaintenanceState.Drained, Bound);
        Assert.Equal("mike", (await HostAsync("mike-spare1")).Spec.TenantId);
        Assert.Contains("mike-spare1", await Grains.GetGrain<ITenantGrain>("mike").GetHostIdsAsync());
        Assert.Equal("mike-spare1", (await Grains.GetGrain<IInstanceGrain>("i-mike-0").GetAsync())!.HostId);
        await AssertNothingOwedAsync("mike", destinationHosts: 0, instances: 1, spares: 1);
    }

    [Fact]
    public async Task A_cancel_whose_calls_fail_is_finished_by_itself_once_they_answer()
    {
        await SeedAsync("kilo", destinationHosts: 2, MovePreference.AskFirst, "web-01", "web-02", "web-03");
        var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-kilo");
        await maintenance.StartAsync("kilo-src", MaintenanceReason.FirmwareUpdate);
        using (fixture.Faults.FailCalls<IInstanceGrain>(nameof(IInstanceGrain.CancelMoveAsync)))
        using (fixture.Faults.FailCalls<IDedicatedHostGrain>(nameof(IDedicatedHostGrain.CancelMaintenanceAsync)))
        {
            // The operator is answered: the cancel is stored, what it owes is not done yet.
            var cancelled = await maintenance.CancelAsync();
            Assert.Equal(MaintenanceState.Cancelled, cancelled.State);
            Assert.Equal(HostState.Draining, (await HostAsync("kilo-src")).State);
            var owed = await OwedAsync("kilo", destinationHosts: 2, instances: 3);
            Assert.Equal(3, owed.Count(o => o.What == OwedWorkCheck.MoveNotCancelled));
            Assert.Contains(owed, o => o.What == OwedWorkCheck.HostNotGivenBack);
        }

        await Eventually.HoldsAsync(async () =>
        {
            var instances = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => Grains.GetGrain<IInstanceGrain>($"i-kilo-{i}").GetAsync()));
            return instances.All(i => i!.Moves.Single().State == MoveState.Cancelled)
                   && (await HostAsync("kilo-src")).State == HostState.Available
                   && (await HostAsync("kilo-dst1")).Reserved.IsEmpty && (await HostAsync("kilo-dst2")).Reserved.IsEmpty
                   && fixture.Received.OfType<InstanceMoveCancelled>().Count(e => e.MaintenanceId == "mnt-kilo") == 3;
        }, Bound, () => "The cancel was not finished after the instances and the host answered again.");
        await AssertNothingOwedAsync("kilo", destinationHosts: 2, instances: 3);
    }

    [Fact]
    public async Task Events_and_calls_owed_while_the_bus_and_the_reminder_service_fail_are_all_delivered_once_they_are_back()
    {
        await SeedAsync("lima", destinationHosts: 2, MovePreference.LiveMigrate, "web-01", "web-02", "web-03");
        var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-lima");
        try
        {
            fixture.Bus.Down = true;
            fixture.Faults.RemindersFail = true;
            await Assert.ThrowsAnyAsync<Exception>(() => maintenance.StartAsync("lima-src", MaintenanceReason.FirmwareUpdate));
            fixture.Faults.RemindersFail = false;
            await maintenance.StartAsync("lima-src", MaintenanceReason.FirmwareUpdate);
            fixture.Faults.RemindersFail = true;

            // Moves go on without the bus; the drain, which must register its wake-up first, waits.
            await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-lima")).CompletedMoves == 3, Bound);
            Assert.Equal(MaintenanceState.Draining, (await MaintenanceAsync("mnt-lima")).State);
            Assert.DoesNotContain(fixture.Received, e => e.MaintenanceId == "mnt-lima");
        }
        finally
        {
            fixture.Bus.Down = false;
            fixture.Faults.RemindersFail = false;
        }

        List<IMaintenanceLifecycleEvent> Published() => [.. fixture.Received.Where(e => e.MaintenanceId == "mnt-lima")];
        await Eventually.HoldsAsync(() => Task.FromResult(Published().OfType<HostDrained>().Any()
                                                          && Published().OfType<InstanceMigrationCompleted>().Count() == 3), Bound,
            () => $"After the bus and the reminder service came back: {string.Join(", ", Published().Select(e => e.GetType().Name))}");
        var published = Published();
        Assert.Equal(published.Count, published.Select(e => e.EventId).Distinct().Count());
        Assert.Single(published.OfType<HostMaintenanceStarted>());
        Assert.Equal(3, published.OfType<InstanceMigrationScheduled>().Select(e => e.InstanceId).Distinct().Count());
        Assert.Equal(3, published.OfType<InstanceMigrationStarted>().Select(e => e.InstanceId).Distinct().Count());
        await AssertNothingOwedAsync("lima", destinationHosts: 2, instances: 3);
    }

    [Fact]
    public async Task Publishes_that_never_return_hold_up_neither_the_moves_nor_the_events_once_the_bus_answers()
    {
        await SeedAsync("papa", destinationHosts: 1, MovePreference.LiveMigrate, "web-01", "web-02");
        var maintenance = Grains.GetGrain<IMaintenanceEventGrain>("mnt-papa");
        using (fixture.Bus.Hang())
        {
            // Every grain gives up on a publish after its time limit: the operator is answered and the instances move.
            await maintenance.StartAsync("papa-src", MaintenanceReason.FirmwareUpdate);
            await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-papa")).CompletedMoves == 2, TimeSpan.FromSeconds(60),
                () => "The moves stopped while the bus held publishes.");
            Assert.DoesNotContain(fixture.Received, e => e.MaintenanceId == "mnt-papa");
        }

        List<IMaintenanceLifecycleEvent> Published() => [.. fixture.Received.Where(e => e.MaintenanceId == "mnt-papa")];
        await Eventually.HoldsAsync(() => Task.FromResult(Published().OfType<HostDrained>().Any()
                                                          && Published().OfType<InstanceMigrationCompleted>().Count() == 2), TimeSpan.FromSeconds(30),
            () => $"After the bus answered again: {string.Join(", ", Published().Select(e => e.GetType().Name))}");
        await AssertNothingOwedAsync("papa", destinationHosts: 1, instances: 2);
    }

    [Fact]
    public async Task A_running_move_whose_instance_grain_went_away_is_followed_to_its_end()
    {
        await SeedAsync("quebec", destinationHosts: 1, MovePreference.RebootInWindow, "web-01");
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-quebec").StartAsync("quebec-src", MaintenanceReason.DegradedHardware);
        var instance = Grains.GetGrain<IInstanceGrain>("i-quebec-0");
        await Eventually.HoldsAsync(async () => (await instance.GetAsync())!.Moves.LastOrDefault() is { State: MoveState.Migrating }, Bound);

        // The grain goes away mid-move, as with its silo, and its poll of the hypervisor with it; nobody calls it.
        await instance.Cast<IGrainManagementExtension>().DeactivateOnIdle(Ct);
        await Eventually.HoldsAsync(async () => (await MaintenanceAsync("mnt-quebec")).State == MaintenanceState.Drained, Bound,
            () => "The move stayed running after its instance grain went away.");
        Assert.Equal("quebec-dst1", (await instance.GetAsync())!.HostId);
        await AssertNothingOwedAsync("quebec", destinationHosts: 1, instances: 1);
    }

    [Fact]
    public async Task A_seeding_cut_short_by_a_failed_call_is_done_in_full_by_the_next_start()
    {
        var fleet = Fleet("oscar", destinationHosts: 1, spares: 0, "web-01", "db-01");
        using (fixture.Faults.FailCalls<ITenantGrain>(nameof(ITenantGrain.InitializeAsync)))
        {
            await Assert.ThrowsAsync<SiloUnavailableException>(() => Grains.SeedAsync(fleet, Ct));
        }

        Assert.True(await Grains.SeedAsync(fleet, Ct), "The next start took the half-seeded fleet for a seeded one.");
        Assert.Equal("oscar", (await Grains.GetGrain<ITenantGrain>("oscar").GetAsync())?.TenantId);
        foreach (var placement in fleet.Instances)
        {
            Assert.NotNull(await Grains.GetGrain<IInstanceGrain>(placement.Instance.InstanceId).GetAsync());
        }

        Assert.True((await Grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync()).Lists(fleet.Tenants, fleet.Hosts));
        Assert.False(await Grains.SeedAsync(fleet, Ct));
    }

    [Fact]
    public async Task A_server_starting_while_the_cluster_still_refuses_calls_seeds_its_fleet_once_the_calls_go_through()
    {
        var options = new DemoFleetOptions { Tenants = 1, HostsPerTenant = 2, SpareHosts = 0, StartMaintenanceOnStartup = 0 };
        var fleet = DemoFleet.Generate(options);
        var seeder = new DemoFleetSeeder(Grains, new OrleansOperatorConsole(Grains, TimeProvider.System,
            new AuditRecorder(new MemoryAuditTrail(), new CurrentActor(), TimeProvider.System)), Options.Create(options),
            TimeProvider.System, NullLogger<DemoFleetSeeder>.Instance);
        Task starting;
        using (fixture.Faults.FailCalls<IFleetGrain>(nameof(IFleetGrain.GetAsync)))
        {
            starting = seeder.StartAsync(Ct);
            await Eventually.HoldsAsync(() => Task.FromResult(fixture.Faults.Failed<IFleetGrain>(nameof(IFleetGrain.GetAsync)) >= 3 || starting.IsCompleted),
                Bound);
        }

        await starting.WaitAsync(Bound, Ct);
        Assert.True((await Grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync()).Lists(fleet.Tenants, fleet.Hosts));
    }
}
