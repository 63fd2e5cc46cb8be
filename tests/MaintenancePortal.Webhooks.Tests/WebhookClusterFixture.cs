using MaintenancePortal.Grains;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MaintenancePortal.Webhooks.Tests;

/// <summary>
/// A one-silo Orleans test cluster for the webhook grains: in-memory storage and reminders, the
/// real sender (through the guarded handler, with loopback allowed for the test receivers), and a
/// fake clock the tests move forward to reach the later steps of the retry schedule.
/// </summary>
public sealed class WebhookClusterFixture : IAsyncLifetime
{
    /// <summary>The clock of the silo in this process (one fixture per test class; classes run their tests one at a time).</summary>
    private static readonly FakeTimeProvider SharedClock = new(new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero));

    public TestCluster Cluster { get; } = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock => SharedClock;

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder
            .AddMemoryGrainStorage(StorageNames.Maintenance)
            .UseInMemoryReminderService()
            .ConfigureServices(services =>
            {
                services.AddSingleton<TimeProvider>(SharedClock);
                services.AddSingleton(Options.Create(new WebhookOptions { AllowInsecureUrls = true }));
                services.AddSingleton(sp => new WebhookSender(new HttpClient(GuardedHttpHandler.Create(allowLoopback: true)),
                    SharedClock, sp.GetRequiredService<IOptions<WebhookOptions>>()));
            });
    }
}
