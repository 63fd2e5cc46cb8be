using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Data.Tables;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Grains.Outbox;
using MaintenancePortal.OwedWork;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests.Chaos;

/// <summary>How long a chaos run is, and its random seed (printed, so a failing run can be repeated).</summary>
internal sealed record ChaosOptions(int Rounds, int HostsPerWave, int Seed, int Silos = 3)
{
    /// <summary>From the environment (CHAOS_ROUNDS, CHAOS_HOSTS, CHAOS_SEED, CHAOS_SILOS), else the bounded run of ./test.sh.</summary>
    public static ChaosOptions FromEnvironment() => new(
        Number("CHAOS_ROUNDS") ?? 3,
        Number("CHAOS_HOSTS") ?? 4,
        Number("CHAOS_SEED") ?? Random.Shared.Next(1, 1_000_000),
        Math.Max(2, Number("CHAOS_SILOS") ?? 3));

    private static int? Number(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>What a chaos run did and measured.</summary>
internal sealed record ChaosFigures(
    int Seed,
    int Rounds,
    int Kills,
    int BrokerOutages,
    int Moves,
    int Events,
    IReadOnlyList<TimeSpan> OwedClearedAfterRecovery,
    IReadOnlyList<TimeSpan> DrainedAfterRecovery,
    TimeSpan Duration)
{
    public string ToMarkdown()
    {
        static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
        static TimeSpan Median(IReadOnlyList<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
        var text = new StringBuilder();
        text.AppendLine("| Seed | Rounds | Silos killed | Broker outages | Moves | Events on the bus | Drained after recovery, p50 / max | Nothing owed after recovery, p50 / max | Run |");
        text.AppendLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| {Seed} | {Rounds} | {Kills} | {BrokerOutages} | {Moves} | {Events} | "
                                                      + $"{Seconds(Median(DrainedAfterRecovery))} / {Seconds(DrainedAfterRecovery.Max())} | "
                                                      + $"{Seconds(Median(OwedClearedAfterRecovery))} / {Seconds(OwedClearedAfterRecovery.Max())} | "
                                                      + $"{Duration.TotalMinutes:0.0} min |");
        return text.ToString();
    }
}

/// <summary>
/// A durable cluster (real Azurite and RabbitMQ) with a history — a wave on the fresh cluster, a
/// hard stop of every silo mid-wave and a start on the stored state, a graceful stop and a start —
/// then rounds of waves during which a random silo is killed (kill -9) at a random moment and
/// started again; once, the broker is stopped for a while too. After each wave, with nothing
/// done by hand: every host drains; every instance is on exactly one host with its ID and IP; an
/// independent RabbitMQ subscriber has every event each move and host owes (schedule, start,
/// completion, failure and retry; start and drain), none past its deadline; and the stored state,
/// read by the owed-work check, owes nothing within two minutes.
/// </summary>
internal sealed class ChaosRun(DurableServices services, ChaosOptions options, Action<string> log)
{
    public static readonly TimeSpan OwedBound = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan DrainBound = TimeSpan.FromMinutes(5);

    private readonly Random _random = new(options.Seed);
    private readonly List<TimeSpan> _owedCleared = [];
    private readonly List<TimeSpan> _drained = [];
    private readonly List<string> _maintenanceIds = [];
    private int _kills;
    private int _brokerOutages;
    private int _moves;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<ChaosFigures> RunAsync()
    {
        var run = Stopwatch.StartNew();
        var serviceId = $"chaos-{Guid.NewGuid():N}"[..20];
        log($"chaos run {serviceId}: seed {options.Seed}, {options.Rounds} rounds, {options.HostsPerWave} hosts a wave, {options.Silos} silos");
        var settings = services.ServerSettings(serviceId);
        // Two silos agree that a third is dead, as in production; of two, the survivor is all there is.
        settings["Orleans__Membership__NumVotesForDeathDeclaration"] = options.Silos >= 3 ? "2" : "1";
        var stored = new StoredClusterReader(new TableServiceClient(services.Storage), serviceId);
        await using var consumer = await LifecycleEventConsumer.StartAsync(services.RabbitMq, Ct);
        await using var cluster = await ChaosCluster.StartAsync(options.Silos, settings, Ct);

        // The history a cluster in service has: a wave, a hard stop mid-wave, a graceful stop.
        log("a wave on the fresh cluster");
        await FinishAsync(cluster, stored, await StartWaveAsync(cluster, consumer, 2), Stopwatch.StartNew());

        var wave = await StartWaveAsync(cluster, consumer, 2);
        await ProgressAsync(cluster, wave, 1);
        log("every silo killed mid-wave; started again on the stored state");
        await cluster.HardStopAsync();
        await cluster.StartAllAgainAsync(Ct);
        await FinishAsync(cluster, stored, wave, Stopwatch.StartNew());

        log("every silo stopped gracefully; started again");
        await cluster.GracefulStopAsync();
        await cluster.StartAllAgainAsync(Ct);

        var brokerRound = options.Rounds > 1 ? 1 : 0;
        for (var round = 0; round < options.Rounds; round++)
        {
            wave = await StartWaveAsync(cluster, consumer, options.HostsPerWave);
            // Once, the broker goes away for a while too, on its own clock: a silo may be started again while it is away.
            var brokerOutage = round == brokerRound ? BrokerOutageAsync(TimeSpan.FromSeconds(15 + _random.Next(15))) : Task.CompletedTask;
            var moved = await ProgressAsync(cluster, wave, 1 + _random.Next(Math.Max(1, wave.Instances / 2)));
            var victim = cluster.Live.ElementAt(_random.Next(cluster.Live.Count()));
            // A third of the time the victim stays down until the wave is over: the others finish without it.
            var staysDown = _random.Next(3) == 0;
            var downFor = TimeSpan.FromMilliseconds(_random.Next(0, 8000));
            log($"round {round + 1}: {moved} of {wave.Instances} moved; silo {victim} killed, "
                + (staysDown ? "down until the wave is over" : $"back in {downFor.TotalSeconds:0.0} s")
                + (brokerOutage.IsCompleted ? "" : "; the broker is down"));
            await cluster.KillAsync(victim);
            _kills++;
            var sinceRecovery = Stopwatch.StartNew(); // with the victim down, the others are what recovers
            if (!staysDown)
            {
                await Task.Delay(downFor, Ct);
                await cluster.RestartAsync(victim, Ct);
                sinceRecovery.Restart();
            }

            await brokerOutage;
            await FinishAsync(cluster, stored, wave, sinceRecovery);
            if (staysDown)
            {
                await cluster.RestartAsync(victim, Ct);
            }
        }

        var events = consumer.Events.Values.Count(e => _maintenanceIds.Contains(e.MaintenanceId));
        return new ChaosFigures(options.Seed, options.Rounds, _kills, _brokerOutages, _moves, events, _owedCleared, _drained, run.Elapsed);
    }

    private async Task BrokerOutageAsync(TimeSpan duration)
    {
        await services.SetBrokerRunningAsync(false);
        _brokerOutages++;
        try
        {
            await Task.Delay(duration, Ct);
        }
        finally
        {
            await services.SetBrokerRunningAsync(true);
        }
    }

    /// <summary>Maintenance on random hosts in service that hold instances, started through a random silo.</summary>
    private async Task<Wave> StartWaveAsync(ChaosCluster cluster, LifecycleEventConsumer consumer, int hosts)
    {
        var operatorClient = await cluster.OperatorAsync(Ct, _random.Next(cluster.Count));
        var fleet = await operatorClient.GetJsonAsync("api/operator/hosts", Ct);
        var candidates = fleet.EnumerateArray()
            .Where(h => h.GetProperty("state").GetString() == "Available"
                        && h.GetProperty("tenantId").GetString() is not null
                        && h.GetProperty("placed").EnumerateObject().Any())
            .ToList();
        var chosen = candidates.OrderBy(_ => _random.Next()).Take(hosts).ToList();
        var specs = Wave.Seeded.Instances.ToDictionary(p => p.Instance.InstanceId, p => p.Instance);
        var placement = chosen.SelectMany(h => h.GetProperty("placed").EnumerateObject()
            .Select(p => new InstancePlacement(specs[p.Name], h.GetProperty("hostId").GetString()!))).ToList();
        var wave = new Wave([.. chosen.Select(h => h.GetProperty("hostId").GetString()!)], consumer, placement);
        await wave.StartAsync(operatorClient);
        _maintenanceIds.AddRange(wave.MaintenanceIds);
        log($"wave of {wave.Hosts.Count} hosts ({string.Join(", ", wave.Hosts)}), {wave.Instances} instances");
        return wave;
    }

    /// <summary>Waits until at least this many of the wave's moves completed (read from the API: the bus may be down); how many did.</summary>
    private static async Task<int> ProgressAsync(ChaosCluster cluster, Wave wave, int completions)
    {
        var operatorClient = await cluster.OperatorAsync(Ct);
        var completed = 0;
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (completed = await wave.CompletedMovesAsync(operatorClient)) >= completions;
            }
            catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
            {
                return false; // a grain on its way to another silo: asked again
            }
        }, TimeSpan.FromMinutes(3), () => $"{completed} of {completions} moves completed\n{cluster.Outputs()}");
        return completed;
    }

    /// <summary>
    /// After a fault (the clock started at recovery): the wave drains and everything holds, nothing
    /// is owed within the bound, and its hosts return to service.
    /// </summary>
    private async Task FinishAsync(ChaosCluster cluster, StoredClusterReader stored, Wave wave, Stopwatch sinceRecovery)
    {
        var operatorClient = await cluster.OperatorAsync(Ct, _random.Next(cluster.Count));
        await wave.DrainedAsync(operatorClient, DrainBound, cluster.Outputs);
        _drained.Add(sinceRecovery.Elapsed);
        var drainedAt = sinceRecovery.Elapsed;
        await wave.AssertEverythingMovedAndAnnouncedAsync(operatorClient);

        IReadOnlyList<OwedItem> owed = [];
        await Eventually.HoldsAsync(async () => (owed = OwedWorkCheck.Find(await stored.ReadAsync(Ct))).Count == 0,
            OwedBound, () => $"Still owed {OwedBound.TotalMinutes:0} minutes after the wave drained:\n{string.Join("\n", owed)}\n{cluster.Outputs()}");
        _owedCleared.Add(sinceRecovery.Elapsed);
        _moves += wave.Instances;
        log($"drained {drainedAt.TotalSeconds:0.0} s after recovery, nothing owed after {sinceRecovery.Elapsed.TotalSeconds:0.0} s");
        await wave.CompleteAsync(operatorClient);
    }
}
