using System.Collections.Concurrent;
using MaintenancePortal.Grains;
using MaintenancePortal.Tests.Shared;
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

    /// <summary>Each cluster, by an id its silo finds in its configuration (for its clock and its faults).</summary>
    private static readonly ConcurrentDictionary<string, WebhookCluster> Clusters = new();

    private readonly string _clockId = Guid.NewGuid().ToString("N");

    public WebhookCluster()
    {
        Clusters[_clockId] = this;
        var builder = new TestClusterBuilder(1);
        builder.Properties[ClockSetting] = _clockId;
        Cluster = builder.AddSiloBuilderConfigurator<SiloConfigurator>().Build();
    }

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    /// <summary>While set, the reminder table refuses to register or remove reminders (as when its storage is unreachable).</summary>
    public volatile bool RemindersFail;

    public async ValueTask InitializeAsync()
    {
        await Cluster.DeployAsync();
        await ReminderServiceStartedAsync();
    }

    /// <summary>
    /// Waits until the silo's reminder service has read its table, as the endpoint grains register
    /// reminders. That read runs as the silo starts; when it fails, Orleans tries again on the silo's
    /// clock, which here is the fake one: the clock is moved on until it has (never when the first read worked).
    /// </summary>
    private async Task ReminderServiceStartedAsync()
    {
        var probe = Grains.GetGrain<IReminderProbeGrain>(Guid.NewGuid()).RegisterAndRemoveAsync();
        for (var waited = TimeSpan.Zero; !probe.IsCompleted; waited += TimeSpan.FromMilliseconds(250))
        {
            await Task.WhenAny(probe, Task.Delay(250));
            if (!probe.IsCompleted && waited >= TimeSpan.FromSeconds(1))
            {
                Clock.Advance(TimeSpan.FromSeconds(10));
            }
        }

        await probe;
    }

    public async ValueTask DisposeAsync()
    {
        // Killed, not stopped: a graceful stop waits on the silo's timers, and its clock is the fake one (30 s a cluster).
        foreach (var silo in Cluster.Silos.ToList())
        {
            await Cluster.KillSiloAsync(silo);
        }

        await Cluster.DisposeAsync();
        Clusters.TryRemove(_clockId, out _);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var cluster = Clusters[siloBuilder.Configuration[ClockSetting]!];
            var clock = cluster.Clock;
            siloBuilder
                .AddMemoryGrainStorage(StorageNames.Maintenance)
                .UseInMemoryReminderService()
                .ConfigureServices(services =>
                {
                    services.AddSingleton<TimeProvider>(clock);
                    FaultyReminderTable.Replace(services, _ => () => cluster.RemindersFail);
                    services.AddSingleton(Options.Create(new WebhookOptions { AllowInsecureUrls = true }));
                    services.AddSingleton(sp => new WebhookSender(new HttpClient(GuardedHttpHandler.Create(allowLoopback: true)),
                        clock, sp.GetRequiredService<IOptions<WebhookOptions>>()));
                });
        }
    }
}
