using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests.Chaos;

/// <summary>
/// Silos of one durable cluster, each on an address of its own that it keeps when started again
/// (as on a machine of its own), with an operator signed in on each.
/// </summary>
internal sealed class ChaosCluster : IAsyncDisposable
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromMinutes(4);
    private readonly PortalServer[] _silos;
    private readonly PortalHttpClient?[] _operators;

    private ChaosCluster(PortalServer[] silos)
    {
        _silos = silos;
        _operators = new PortalHttpClient?[silos.Length];
    }

    public int Count => _silos.Length;

    public IEnumerable<int> Live => Enumerable.Range(0, _silos.Length).Where(i => !_silos[i].HasExited);

    /// <summary>Starts the silos one after the other: the first seeds the fleet, the others join it.</summary>
    public static async Task<ChaosCluster> StartAsync(int silos, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var started = new List<PortalServer>();
        try
        {
            for (var i = 0; i < silos; i++)
            {
                started.Add(await PortalServer.StartAsync(cancellationToken, settings, ReadyWithin));
            }
        }
        catch
        {
            foreach (var silo in started)
            {
                await silo.DisposeAsync();
            }

            throw;
        }

        return new ChaosCluster([.. started]);
    }

    /// <summary>
    /// An operator signed in on a live silo (the first from <paramref name="preferred"/> on). While
    /// the cluster recovers from a kill, the sign-in page may answer 503 (it lists the fleet's
    /// tenants, whose grain may be on the dead silo): it is asked again until it answers.
    /// </summary>
    public async Task<PortalHttpClient> OperatorAsync(CancellationToken cancellationToken, int preferred = 0)
    {
        foreach (var i in Enumerable.Range(0, Count).Select(k => (preferred + k) % Count).Where(i => !_silos[i].HasExited))
        {
            if (_operators[i] is { } signedIn)
            {
                return signedIn;
            }

            var client = new PortalHttpClient(_silos[i].BaseAddress);
            await Eventually.HoldsAsync(async () =>
            {
                try
                {
                    await client.SignInAsync("operator", cancellationToken);
                    return true;
                }
                catch (HttpRequestException ex) when (ex.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable)
                {
                    return false;
                }
            }, TimeSpan.FromMinutes(2), () => $"Silo {i} answered 503 to the sign-in for 2 minutes:\n{Outputs()}");
            return _operators[i] = client;
        }

        throw new InvalidOperationException("No silo runs.");
    }

    /// <summary>Kills one silo at once (kill -9): nothing is shut down cleanly.</summary>
    public async Task KillAsync(int silo)
    {
        await _silos[silo].KillAsync();
        Forget(silo);
    }

    /// <summary>Starts a stopped silo again on its address; ready once it serves the portal.</summary>
    public async Task RestartAsync(int silo, CancellationToken cancellationToken)
    {
        var stopped = _silos[silo];
        _silos[silo] = await stopped.StartAgainAsync(cancellationToken, ReadyWithin);
        await stopped.DisposeAsync();
    }

    /// <summary>Every silo killed at once, as in a power loss (or a Ctrl-C that ends them all).</summary>
    public async Task HardStopAsync()
    {
        await Task.WhenAll(_silos.Select(s => s.KillAsync()));
        Enumerable.Range(0, Count).ToList().ForEach(Forget);
    }

    /// <summary>Every silo told to stop (SIGTERM) at once, storage and broker still up; each hands its grains over and leaves.</summary>
    public async Task GracefulStopAsync()
    {
        await Task.WhenAll(_silos.Select(s => s.StopAsync(TimeSpan.FromSeconds(60))));
        Enumerable.Range(0, Count).ToList().ForEach(Forget);
    }

    /// <summary>Every silo started again at once on its address, as a cluster coming back after a stop.</summary>
    public async Task StartAllAgainAsync(CancellationToken cancellationToken) =>
        await Task.WhenAll(Enumerable.Range(0, Count).Select(i => RestartAsync(i, cancellationToken)));

    public string Output(int silo) => _silos[silo].Tail();

    /// <summary>The end of each silo's output, for a failure's message; the whole of it goes to artifacts/chaos-logs/.</summary>
    public string Outputs()
    {
        var folder = Path.Combine(Tests.Shared.Repository.Root(), "artifacts", "chaos-logs");
        Directory.CreateDirectory(folder);
        for (var i = 0; i < Count; i++)
        {
            File.WriteAllText(Path.Combine(folder, $"silo-{i}.log"), _silos[i].Output);
        }

        return string.Join("\n", Enumerable.Range(0, Count).Select(i => $"---- silo {i} (all of it in artifacts/chaos-logs/silo-{i}.log):\n{_silos[i].Tail(4000)}"));
    }

    private void Forget(int silo)
    {
        _operators[silo]?.Dispose();
        _operators[silo] = null;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = 0; i < Count; i++)
        {
            Forget(i);
            await _silos[i].DisposeAsync();
        }
    }
}
