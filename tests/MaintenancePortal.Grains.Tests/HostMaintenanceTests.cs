using MaintenancePortal.Contracts;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.Grains.Tests;

public sealed class HostMaintenanceTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IGrainFactory Grains => fixture.Grains;

    private async Task<List<IMaintenanceLifecycleEvent>> EventsUntilDrainedAsync(string maintenanceId)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Received.Any(e => e is HostDrained d && d.MaintenanceId == maintenanceId)),
            TimeSpan.FromSeconds(5), () => $"HostDrained of {maintenanceId} never arrived.");
        return [.. fixture.Received.Where(e => e.MaintenanceId == maintenanceId)];
    }

    /// <summary>A tenant of its own per test, so tests sharing the cluster never touch each other's hosts.</summary>
    private static DemoFleet FleetOf(string tenant, int destinationHosts, int spares, params (string Name, int VCpus)[] instances)
    {
        DedicatedHostSpec Host(string id, string? owner) => new(id, owner, "m7", "zone-a", new Resources(64, 256 * 1024), 1250);
        var hosts = new List<DedicatedHostSpec> { Host($"{tenant}-src", tenant) };
        hosts.AddRange(Enumerable.Range(1, destinationHosts).Select(i => Host($"{tenant}-dst{i}", tenant)));
        hosts.AddRange(Enumerable.Range(1, spares).Select(i => Host($"{tenant}-spare{i}", null)));
        var placed = instances.Select((x, i) => new InstancePlacement(
            new InstanceSpec($"i-{tenant}-{i}", tenant, x.Name, "m7", new Resources(x.VCpus, x.VCpus * 4096L),
                $"10.9.{tenant.Length}.{i + 4}", 120, 2048), $"{tenant}-src"));
        return new DemoFleet([new TenantSpec(tenant, tenant)], hosts, [.. placed]);
    }

    private async Task<MaintenanceEvent> RunToDrainedAsync(string maintenanceId, string hostId,
        MaintenanceReason reason = MaintenanceReason.FirmwareUpdate)
    {
        var grain = Grains.GetGrain<IMaintenanceEventGrain>(maintenanceId);
        await grain.StartAsync(hostId, reason);
        await Eventually.HoldsAsync(async () => (await grain.GetAsync())!.State == MaintenanceState.Drained, TimeSpan.FromSeconds(30),
            () => $"Maintenance {maintenanceId} did not drain.");
        return (await grain.GetAsync())!;
    }

    [Fact]
    public async Task Maintenance_moves_every_instance_keeping_id_and_ip_and_drains_the_host()
    {
        var fleet = FleetOf("alpha", destinationHosts: 2, spares: 0, ("web-01", 4), ("db-01", 16), ("api-01", 8));
        Assert.True(await Grains.SeedAsync(fleet, Ct));

        var maintenance = await RunToDrainedAsync("mnt-alpha", "alpha-src");

        var source = await Grains.GetGrain<IDedicatedHostGrain>("alpha-src").GetAsync();
        Assert.Equal(HostState.Drained, source!.State);
        Assert.Empty(source.Placed);
        Assert.Equal(3, maintenance.CompletedMoves);

        foreach (var placement in fleet.Instances)
        {
            var before = placement.Instance;
            var after = await Grains.GetGrain<IInstanceGrain>(before.InstanceId).GetAsync();
            Assert.Equal(before.InstanceId, after!.Spec.InstanceId);
            Assert.Equal(before.PrivateIp, after.Spec.PrivateIp);
            Assert.StartsWith("alpha-dst", after.HostId);
            var receipt = Assert.Single(after.Moves).Receipt!;
            Assert.True(receipt.InstanceIdKept && receipt.PrivateIpKept);

            // Exactly one host holds the instance.
            var holders = new List<string>();
            foreach (var host in fleet.Hosts)
            {
                if ((await Grains.GetGrain<IDedicatedHostGrain>(host.HostId).GetAsync())!.Placed.ContainsKey(before.InstanceId))
                {
                    holders.Add(host.HostId);
                }
            }

            Assert.Equal([after.HostId], holders);
        }

        var tenantMoves = await Grains.GetGrain<ITenantMovesGrain>("alpha").QueryAsync(new MoveQuery(), null);
        Assert.Equal(3, tenantMoves.Counts.Completed);
        Assert.Equal(3, tenantMoves.Moves.Count(m => m.State == MoveState.Completed));
    }

    [Fact]
    public async Task Lifecycle_events_are_published_on_the_bus_in_order()
    {
        var fleet = FleetOf("bravo", destinationHosts: 1, spares: 0, ("web-01", 4), ("cache-01", 8));
        await Grains.SeedAsync(fleet, Ct);

        await RunToDrainedAsync("mnt-bravo", "bravo-src");

        var published = await EventsUntilDrainedAsync("mnt-bravo");
        Assert.IsType<HostMaintenanceStarted>(published[0]);
        Assert.IsType<HostDrained>(published[^1]);
        Assert.Equal(published.Count, published.Select(e => e.EventId).Distinct().Count());
        foreach (var instance in fleet.Instances.Select(i => i.Instance.InstanceId))
        {
            var steps = published.Where(e => e.Subject == instance).Select(e => e.GetType()).Distinct().ToList();
            Assert.Equal(
                [typeof(InstanceMigrationScheduled), typeof(InstanceMigrationStarted), typeof(InstanceMigrationProgressed), typeof(InstanceMigrationCompleted)],
                steps);
            var completed = published.OfType<InstanceMigrationCompleted>().Single(e => e.InstanceId == instance);
            Assert.Equal(fleet.Instances.Single(i => i.Instance.InstanceId == instance).Instance.PrivateIp, completed.PrivateIp);
        }
    }

    [Fact]
    public async Task Without_room_on_the_tenants_hosts_a_spare_becomes_a_replacement_host()
    {
        var fleet = FleetOf("charlie", destinationHosts: 0, spares: 1, ("db-01", 16));
        await Grains.SeedAsync(fleet, Ct);

        await RunToDrainedAsync("mnt-charlie", "charlie-src");

        var instance = await Grains.GetGrain<IInstanceGrain>("i-charlie-0").GetAsync();
        Assert.Equal("charlie-spare1", instance!.HostId);
        var spare = await Grains.GetGrain<IDedicatedHostGrain>("charlie-spare1").GetAsync();
        Assert.Equal("charlie", spare!.Spec.TenantId);
        Assert.Contains("charlie-spare1", await Grains.GetGrain<ITenantGrain>("charlie").GetHostIdsAsync());
        Assert.DoesNotContain("charlie-spare1", (await Grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).GetAsync()).SpareHostIds);
    }

    [Fact]
    public async Task An_instance_arriving_on_a_host_whose_maintenance_began_meanwhile_is_moved_on()
    {
        var fleet = FleetOf("kappa", destinationHosts: 1, spares: 1, ("db-01", 32));
        Assert.True(await Grains.SeedAsync(fleet, Ct));
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-kappa-src").StartAsync("kappa-src", MaintenanceReason.FirmwareUpdate);

        // The destination's own maintenance begins while the instance is on its way there.
        Assert.Contains("i-kappa-0", (await Grains.GetGrain<IDedicatedHostGrain>("kappa-dst1").GetAsync())!.Reserved.Keys);
        var maintenance = await RunToDrainedAsync("mnt-kappa-dst1", "kappa-dst1");

        var instance = (await Grains.GetGrain<IInstanceGrain>("i-kappa-0").GetAsync())!;
        Assert.Equal("kappa-spare1", instance.HostId);
        Assert.Equal(["kappa-dst1", "kappa-spare1"], instance.Moves.Select(m => m.DestinationHostId));
        Assert.All(instance.Moves, m => Assert.Equal(MoveState.Completed, m.State));
        Assert.Equal(1, maintenance.CompletedMoves);
        Assert.Empty((await Grains.GetGrain<IDedicatedHostGrain>("kappa-dst1").GetAsync())!.Placed);
    }

    [Fact]
    public async Task A_second_maintenance_of_a_host_under_maintenance_is_refused()
    {
        var fleet = FleetOf("delta", destinationHosts: 1, spares: 0, ("web-01", 2));
        await Grains.SeedAsync(fleet, Ct);
        await Grains.GetGrain<IMaintenanceEventGrain>("mnt-delta-1").StartAsync("delta-src", MaintenanceReason.Rebalance);

        var ex = await Assert.ThrowsAsync<DomainException>(() =>
            Grains.GetGrain<IMaintenanceEventGrain>("mnt-delta-2").StartAsync("delta-src", MaintenanceReason.Rebalance));

        Assert.Contains("already", ex.Message);
        Assert.Null(await Grains.GetGrain<IMaintenanceEventGrain>("mnt-delta-2").GetAsync());
    }

    [Fact]
    public async Task A_failed_live_attempt_is_retried_on_another_host_and_completes_there()
    {
        var fleet = FleetOf("echo", destinationHosts: 2, spares: 0, ("flaky-01", 4));
        await Grains.SeedAsync(fleet, Ct);

        await RunToDrainedAsync("mnt-echo", "echo-src");

        var published = await EventsUntilDrainedAsync("mnt-echo");
        var failed = Assert.Single(published.OfType<InstanceMigrationFailed>());
        var scheduled = published.OfType<InstanceMigrationScheduled>().ToList();
        Assert.Equal(2, scheduled.Count);
        Assert.Equal(failed.DestinationHostId, scheduled[0].DestinationHostId);
        Assert.NotEqual(failed.DestinationHostId, scheduled[1].DestinationHostId);
        var completed = Assert.Single(published.OfType<InstanceMigrationCompleted>());
        Assert.Equal(scheduled[1].DestinationHostId, completed.DestinationHostId);

        var instance = await Grains.GetGrain<IInstanceGrain>("i-echo-0").GetAsync();
        Assert.Equal(completed.DestinationHostId, instance!.HostId);
        var failedHost = await Grains.GetGrain<IDedicatedHostGrain>(failed.DestinationHostId).GetAsync();
        Assert.Empty(failedHost!.Reserved);
        Assert.Empty(failedHost.Placed);
    }

    [Fact]
    public async Task A_destination_that_reports_the_instance_under_another_ip_is_refused_and_the_move_goes_elsewhere()
    {
        var fleet = FleetOf("hotel", destinationHosts: 2, spares: 0, ("imposter-01", 4));
        await Grains.SeedAsync(fleet, Ct);

        await RunToDrainedAsync("mnt-hotel", "hotel-src");

        var published = await EventsUntilDrainedAsync("mnt-hotel");
        var refused = Assert.Single(published.OfType<InstanceMigrationFailed>());
        Assert.Contains("10.255.255.254", refused.Reason);
        var completed = Assert.Single(published.OfType<InstanceMigrationCompleted>());
        Assert.NotEqual(refused.DestinationHostId, completed.DestinationHostId);
        Assert.Equal(fleet.Instances[0].Instance.PrivateIp, completed.PrivateIp);

        var move = Assert.Single((await Grains.GetGrain<IInstanceGrain>("i-hotel-0").GetAsync())!.Moves);
        Assert.DoesNotContain(move.History, h => h.Step == MoveStep.Completed && h.HostId == refused.DestinationHostId);
        Assert.True(move.Receipt!.InstanceIdKept && move.Receipt.PrivateIpKept);
        var refusedHost = await Grains.GetGrain<IDedicatedHostGrain>(refused.DestinationHostId).GetAsync();
        Assert.Empty(refusedHost!.Placed);
        Assert.Empty(refusedHost.Reserved);
    }

    [Fact]
    public async Task An_instance_whose_tenant_wants_a_reboot_is_moved_by_reboot_keeping_id_and_ip()
    {
        var fleet = FleetOf("foxtrot", destinationHosts: 1, spares: 0, ("db-01", 8));
        await Grains.SeedAsync(fleet, Ct);
        await Grains.GetGrain<ITenantGrain>("foxtrot").SetPreferencesAsync(
            new TenantPreferences(MovePreference.RebootInWindow, new Dictionary<string, MovePreference>(), []));

        // Degraded hardware reboots as soon as the notice (none, here) allows.
        await RunToDrainedAsync("mnt-foxtrot", "foxtrot-src", MaintenanceReason.DegradedHardware);

        var published = await EventsUntilDrainedAsync("mnt-foxtrot");
        Assert.Single(published.OfType<InstanceRebootScheduled>());
        var completed = Assert.Single(published.OfType<InstanceRebootCompleted>());
        Assert.Empty(published.OfType<InstanceMigrationStarted>());
        Assert.Equal(fleet.Instances[0].Instance.PrivateIp, completed.PrivateIp);
        var move = Assert.Single((await Grains.GetGrain<IInstanceGrain>("i-foxtrot-0").GetAsync())!.Moves);
        Assert.Equal(MoveAction.RebootMove, move.Action);
        Assert.True(move.Receipt!.InstanceIdKept && move.Receipt.PrivateIpKept);
    }
}
