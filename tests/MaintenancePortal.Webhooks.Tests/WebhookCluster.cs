using System.Collections.Concurrent;
using MaintenancePortal.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MaintenancePortal.Webhooks.Tests;

/// <summary>
/// A one-silo Orleans test cluster for the webhook grains, one per test: in-memory storage and
/// reminders, the real sender (through the guarded handler, with loopback allowed for the test
/// receivers), and a fake clock of its own that the test moves forward to reach the later steps of
/// the retry schedule. No other test's clock moves this one's timers.
/// </summary>
public sealed class WebhookCluster : IAsyncLifetime
{
    private const string ClockSetting = "WebhookTests:Clock";

    /// <summary>The clock of each cluster, by an id the silo finds in its configuration.</summary>
    private static readonly ConcurrentDictionary<string, FakeTimeProvider> Clocks = new();

    private readonly string _clockId = Guid.NewGuid().ToString("N");

    public WebhookCluster()
    {
        Clocks[_clockId] = Clock;
        var builder = new TestClusterBuilder(1);
        builder.Properties[ClockSetting] = _clockId;
        Cluster = builder.AddSiloBuilderConfigurator<SiloConfigurator>().Build();
    }

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync()
    {
        // Killed, not stopped: a graceful stop waits on the silo's timers, and its clock is the fake one (30 s a cluster).
        foreach (var silo in Cluster.Silos.ToList())
        {
            await Cluster.KillSiloAsync(silo);
        }

        await Cluster.DisposeAsync();
        Clocks.TryRemove(_clockId, out _);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var clock = Clocks[siloBuilder.Configuration[ClockSetting]!];
            siloBuilder
                .AddMemoryGrainStorage(StorageNames.Maintenance)
                .UseInMemoryReminderService()
                .ConfigureServices(services =>
                {
                    services.AddSingleton<TimeProvider>(clock);
                    services.AddSingleton(Options.Create(new WebhookOptions { AllowInsecureUrls = true }));
                    services.AddSingleton(sp => new WebhookSender(new HttpClient(GuardedHttpHandler.Create(allowLoopback: true)),
                        clock, sp.GetRequiredService<IOptions<WebhookOptions>>()));
                });
        }
    }
}
