using System.Collections.Concurrent;
using MaintenancePortal.Grains;
using MaintenancePortal.Notices.Delivery;
using MaintenancePortal.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace MaintenancePortal.Notices.Tests;

/// <summary>
/// A one-silo Orleans test cluster for the contact grains, one per test: in-memory storage and
/// reminders, the real composer and MailKit relay sending to a <see cref="TestRelay"/> of its own,
/// and a fake clock the test moves forward (to a digest's hour, to a retry).
/// </summary>
public sealed class NoticeCluster : IAsyncLifetime
{
    private const string ClusterSetting = "NoticeTests:Cluster";
    private static readonly ConcurrentDictionary<string, NoticeCluster> Clusters = new();
    private readonly string _id = Guid.NewGuid().ToString("N");

    public NoticeCluster()
    {
        Clusters[_id] = this;
        var builder = new TestClusterBuilder(1);
        builder.Properties[ClusterSetting] = _id;
        Cluster = builder.AddSiloBuilderConfigurator<SiloConfigurator>().Build();
    }

    public TestCluster Cluster { get; }

    public IGrainFactory Grains => Cluster.GrainFactory;

    public FakeTimeProvider Clock { get; } = new(TestNotices.Now);

    public TestRelay Relay { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Cluster.DeployAsync();
        var probe = Grains.GetGrain<IReminderProbeGrain>(Guid.NewGuid()).RegisterAndRemoveAsync();
        for (var waited = TimeSpan.Zero; !probe.IsCompleted; waited += TimeSpan.FromMilliseconds(250))
        {
            await Task.WhenAny(probe, Task.Delay(250));
            if (!probe.IsCompleted && waited >= TimeSpan.FromSeconds(1))
            {
                Clock.Advance(TimeSpan.FromSeconds(10)); // the reminder service's first read failed and is retried on this clock
            }
        }

        await probe;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in Cluster.Silos.ToList())
        {
            await Cluster.KillSiloAsync(silo);
        }

        await Cluster.DisposeAsync();
        await Relay.DisposeAsync();
        Clusters.TryRemove(_id, out _);
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var cluster = Clusters[siloBuilder.Configuration[ClusterSetting]!];
            siloBuilder
                .AddMemoryGrainStorage(StorageNames.Maintenance)
                .UseInMemoryReminderService()
                .ConfigureServices(services =>
                {
                    services.AddSingleton<TimeProvider>(cluster.Clock);
                    services.AddSingleton(Options.Create(new NoticeOptions
                    {
                        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = cluster.Relay.Port, Security = SmtpSecurity.None },
                    }));
                    services.AddSingleton<IPortalAddress>(new TestNotices.FixedPortal(TestNotices.Portal));
                    services.AddSingleton<NoticeComposer>();
                    services.AddSingleton<IMailRelay, SmtpMailRelay>();
                });
        }
    }
}
