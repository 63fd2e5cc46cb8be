using System.Net;
using System.Text.Json;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// A wave of maintenance on several hosts of the seeded fleet, and what must hold once it is over,
/// whatever failed on the way.
/// </summary>
/// <param name="placement">
/// Where the instances are when the wave starts, with their ID and IP; by default the seeded fleet,
/// generated independently of the server.
/// </param>
internal sealed class Wave(IReadOnlyList<string> hosts, LifecycleEventConsumer consumer, IReadOnlyList<InstancePlacement>? placement = null)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private readonly List<string> _maintenanceIds = [];

    /// <summary>Every instance of the wave's hosts, with its ID and IP before it moves.</summary>
    private readonly IReadOnlyList<InstancePlacement> _seeded =
        (placement ?? Seeded.Instances).Where(p => hosts.Contains(p.HostId)).ToList();

    /// <summary>The demo fleet the server seeds, generated here independently: the instances' IDs and IPs.</summary>
    public static DemoFleet Seeded { get; } = DemoFleet.Generate(new DemoFleetOptions());

    public IReadOnlyList<string> Hosts => hosts;

    public IReadOnlyList<string> MaintenanceIds => _maintenanceIds;

    public int Instances => _seeded.Count;

    /// <summary>This wave's events (other tests share the broker), once each.</summary>
    public IReadOnlyList<IMaintenanceLifecycleEvent> Events =>
        consumer.Events.Values.Where(e => _maintenanceIds.Contains(e.MaintenanceId)).ToList();

    /// <summary>
    /// Each instance's last completed move. An instance can move twice in one wave: on its way to a
    /// host whose maintenance began meanwhile, it arrives there and is moved on.
    /// </summary>
    public IReadOnlyDictionary<string, Completion> Completions =>
        Events.Select(Completion.Of).OfType<Completion>().GroupBy(c => c.InstanceId).ToDictionary(g => g.Key, g => g.MaxBy(c => c.OccurredAt)!);

    /// <summary>Starts maintenance on the hosts, through the clients in turn.</summary>
    public async Task StartAsync(params PortalHttpClient[] operators)
    {
        foreach (var (hostId, index) in hosts.Select((h, i) => (h, i)))
        {
            var (status, started) = await operators[index % operators.Length].StartMaintenanceAsync(hostId, Ct);
            Assert.Equal(HttpStatusCode.Accepted, status);
            _maintenanceIds.Add(started.GetProperty("maintenanceId").GetString()!);
        }
    }

    /// <summary>Moves of the wave completed so far, as the API reports them (the bus may be down).</summary>
    public async Task<int> CompletedMovesAsync(PortalHttpClient operatorClient)
    {
        var completed = 0;
        foreach (var id in _maintenanceIds)
        {
            var maintenance = await operatorClient.GetJsonAsync($"api/operator/maintenance/{id}", Ct);
            completed += maintenance.GetProperty("moves").EnumerateObject().Count(m => m.Value.GetProperty("state").GetString() == "Completed");
        }

        return completed;
    }

    /// <summary>The wave's hosts back in service once their work is done, so later waves can use them.</summary>
    public async Task CompleteAsync(PortalHttpClient operatorClient)
    {
        foreach (var id in _maintenanceIds)
        {
            using var response = await operatorClient.PostJsonAsync($"api/operator/maintenance/{id}/complete", new { }, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} completing {id}: {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }

    /// <summary>Waits until every host is drained; while a grain is on its way to another silo the API answers 503 with Retry-After.</summary>
    public async Task DrainedAsync(PortalHttpClient operatorClient, TimeSpan timeout, Func<string> diagnostics)
    {
        var notDrained = "";
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var id in _maintenanceIds)
            {
                var response = await operatorClient.GetAsync($"api/operator/maintenance/{id}", Ct);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.NotNull(response.Headers.RetryAfter);
                    notDrained = $"maintenance {id}: 503";
                    return false;
                }

                var body = await response.Content.ReadAsStringAsync(Ct);
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} for maintenance {id}: {body}");
                var maintenance = JsonSerializer.Deserialize<JsonElement>(body);
                if (maintenance.GetProperty("state").GetString() != "Drained")
                {
                    notDrained = $"maintenance {id} is not drained: {body}";
                    return false;
                }
            }

            return true;
        }, timeout, () => $"{notDrained}\n{diagnostics()}");
    }

    /// <summary>
    /// Every instance on exactly one host, none on the wave's hosts, and no room left held for a
    /// move. Every lifecycle event reached the bus: for each instance its schedule and its
    /// completion, at the host that holds it, with its ID and IP, before the deadline; a live
    /// move's start; a new schedule after each failed attempt; for each host its start and drain.
    /// </summary>
    public async Task AssertEverythingMovedAndAnnouncedAsync(PortalHttpClient operatorClient)
    {
        var fleet = await operatorClient.GetJsonAsync("api/operator/hosts", Ct);
        var holders = fleet.EnumerateArray().SelectMany(h => h.GetProperty("placed").EnumerateObject()
            .Select(p => (Instance: p.Name, Host: h.GetProperty("hostId").GetString()!))).ToList();
        foreach (var placement in _seeded)
        {
            Assert.DoesNotContain(Assert.Single(holders, h => h.Instance == placement.Instance.InstanceId).Host, hosts);
        }

        Assert.All(fleet.EnumerateArray(), h => Assert.Empty(h.GetProperty("reserved").EnumerateObject()));

        await Eventually.HoldsAsync(() => Task.FromResult(_seeded.All(p => Completions.ContainsKey(p.Instance.InstanceId))
                                                          && Events.OfType<HostDrained>().Count() == hosts.Count), TimeSpan.FromSeconds(60),
            () => $"{Completions.Count} of {Instances} completions, {Events.OfType<HostDrained>().Count()} of {hosts.Count} drains on the bus");
        var events = Events;
        var completions = Completions;
        foreach (var placement in _seeded)
        {
            var (instanceId, ip) = (placement.Instance.InstanceId, placement.Instance.PrivateIp);
            var completion = completions[instanceId];
            Assert.Equal(holders.Single(h => h.Instance == instanceId).Host, completion.DestinationHostId);
            Assert.Equal((instanceId, ip), (completion.InstanceId, completion.PrivateIp));
        }

        foreach (var completion in events.Select(Completion.Of).OfType<Completion>())
        {
            var deadline = events.OfType<HostMaintenanceStarted>().Single(s => s.MaintenanceId == completion.MaintenanceId).Deadline;
            Assert.True(completion.OccurredAt <= deadline);
            var ofMove = events.Where(e => MoveIdOf(e) == completion.MoveId).ToList();
            Assert.Contains(ofMove, e => e is InstanceMigrationScheduled or InstanceRebootScheduled);
            if (completion.Live)
            {
                Assert.Contains(ofMove, e => e is InstanceMigrationStarted);
            }

            foreach (var failed in ofMove.OfType<InstanceMigrationFailed>())
            {
                Assert.Contains(ofMove, e => e is InstanceMigrationScheduled or InstanceRebootScheduled && e.OccurredAt >= failed.OccurredAt);
            }
        }

        foreach (var hostId in hosts)
        {
            // Every instance on the host when its maintenance began is moved, and so is one that arrived after.
            var started = Assert.Single(events.OfType<HostMaintenanceStarted>(), s => s.HostId == hostId);
            var moved = events.Select(Completion.Of).OfType<Completion>().Where(c => c.MaintenanceId == started.MaintenanceId)
                .Select(c => c.InstanceId).Distinct().Count();
            Assert.InRange(started.InstanceCount, _seeded.Count(p => p.HostId == hostId), moved);
            Assert.Equal(moved, Assert.Single(events.OfType<HostDrained>(), d => d.HostId == hostId).InstancesMoved);
        }
    }

    private static string? MoveIdOf(IMaintenanceLifecycleEvent @event) => @event switch
    {
        InstanceMigrationScheduled e => e.MoveId,
        InstanceRebootScheduled e => e.MoveId,
        InstanceMigrationStarted e => e.MoveId,
        InstanceMigrationProgressed e => e.MoveId,
        InstanceMigrationCompleted e => e.MoveId,
        InstanceRebootCompleted e => e.MoveId,
        InstanceMigrationFailed e => e.MoveId,
        InstanceMoveCancelled e => e.MoveId,
        _ => null,
    };

    public sealed record Completion(string MaintenanceId, string MoveId, string InstanceId, string PrivateIp,
        string DestinationHostId, DateTimeOffset OccurredAt, bool Live)
    {
        public static Completion? Of(IMaintenanceLifecycleEvent @event) => @event switch
        {
            InstanceMigrationCompleted e => new(e.MaintenanceId, e.MoveId, e.InstanceId, e.PrivateIp, e.DestinationHostId, e.OccurredAt, Live: true),
            InstanceRebootCompleted e => new(e.MaintenanceId, e.MoveId, e.InstanceId, e.PrivateIp, e.DestinationHostId, e.OccurredAt, Live: false),
            _ => null,
        };
    }
}
