using System.Collections.Concurrent;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Hypervisors;
using MaintenancePortal.Hypervisors.Simulated;
using MaintenancePortal.Server.Messaging;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace MaintenancePortal.Grains.Tests;

/// <summary>
/// A one-silo Orleans test cluster with in-memory storage, the simulated hypervisor sped up so a
/// migration takes a fraction of a second, no notice period, and MassTransit's in-memory bus with a consumer
/// that records every lifecycle event in the order it arrives.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(1).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>Turns the bus off and on for the grains, as a broker outage would.</summary>
    public BusSwitch Bus => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<BusSwitch>();

    /// <summary>Every lifecycle event consumed from the bus, in arrival order.</summary>
    public IReadOnlyCollection<IMaintenanceLifecycleEvent> Received =>
        ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<RecordingConsumer>().Received;

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder
            .AddMemoryGrainStorage(StorageNames.Maintenance)
            .UseInMemoryReminderService()
            .ConfigureServices(services =>
            {
                services.AddSingleton(TimeProvider.System);
                services.Configure<MaintenanceOptions>(o =>
                {
                    o.LiveMigrationNotice = TimeSpan.Zero;
                    o.UrgentNotice = TimeSpan.Zero;
                    o.RebootNotice = TimeSpan.Zero;
                    o.StatusPollInterval = TimeSpan.FromMilliseconds(20);
                });
                // Fast, yet slow enough that every live migration is polled mid-copy (a move finishing between two polls reports no progress).
                services.AddSingleton(new SimulatedHypervisorOptions { SpeedUp = 100 });
                services.AddSingleton<SimulatedHypervisorDriver>();
                services.AddSingleton<IHypervisorDriver, FaultyHypervisor>();
                services.AddSingleton<RecordingConsumer>();
                services.AddMassTransit(bus =>
                {
                    bus.AddConsumer<RecordingConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
                    bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
                });
                services.AddSingleton<MassTransitLifecycleEventPublisher>();
                services.AddSingleton<BusSwitch>();
                services.AddSingleton<ILifecycleEventPublisher, SwitchedPublisher>();
            });
    }

    /// <summary>Whether the broker is reachable, as the grains' publisher sees it.</summary>
    public sealed class BusSwitch
    {
        public volatile bool Down;
    }

    /// <summary>The real publisher, refusing while the switch says the broker is down.</summary>
    public sealed class SwitchedPublisher(MassTransitLifecycleEventPublisher inner, BusSwitch bus) : ILifecycleEventPublisher
    {
        public Task PublishAsync(IMaintenanceLifecycleEvent @event, CancellationToken cancellationToken = default) =>
            bus.Down ? throw new InvalidOperationException("The broker is unreachable.") : inner.PublishAsync(@event, cancellationToken);
    }

    /// <summary>
    /// The simulated hypervisor with two faults to inject: the first live attempt of an instance
    /// named "flaky…" fails (as when the destination dies mid-migration), and the first live
    /// attempt of one named "stuck…" makes no progress until an operator aborts or forces it.
    /// </summary>
    public sealed class FaultyHypervisor(SimulatedHypervisorDriver inner) : IHypervisorDriver
    {
        private readonly ConcurrentDictionary<string, bool> _failing = new();
        private readonly ConcurrentDictionary<string, bool> _stuck = new();

        public Task StartLiveMigrationAsync(LiveMigrationRequest request, CancellationToken cancellationToken = default)
        {
            if (request.MigrationId.EndsWith("-1", StringComparison.Ordinal))
            {
                if (request.Instance.Name.StartsWith("flaky", StringComparison.Ordinal))
                {
                    _failing[request.MigrationId] = true;
                }
                else if (request.Instance.Name.StartsWith("stuck", StringComparison.Ordinal))
                {
                    _stuck[request.MigrationId] = true;
                }
            }

            return inner.StartLiveMigrationAsync(request, cancellationToken);
        }

        public Task StartRebootMoveAsync(RebootMoveRequest request, CancellationToken cancellationToken = default) =>
            inner.StartRebootMoveAsync(request, cancellationToken);

        public Task AbortAsync(string migrationId, CancellationToken cancellationToken = default)
        {
            _stuck.TryRemove(migrationId, out _);
            return inner.AbortAsync(migrationId, cancellationToken);
        }

        public Task ForceCompleteAsync(string migrationId, ForceCompletion mode, CancellationToken cancellationToken = default)
        {
            _stuck.TryRemove(migrationId, out _);
            return inner.ForceCompleteAsync(migrationId, mode, cancellationToken);
        }

        public async Task<LiveMigrationStatus> GetStatusAsync(string migrationId, CancellationToken cancellationToken = default) =>
            _failing.ContainsKey(migrationId) ? new LiveMigrationStatus(MigrationPhase.Failed, Error: "The destination host stopped answering.")
            : _stuck.ContainsKey(migrationId) ? new LiveMigrationStatus(MigrationPhase.PreCopy, new MigrationProgress(3, 1, 1, 900, 900, 50))
            : await inner.GetStatusAsync(migrationId, cancellationToken);
    }

    /// <summary>Consumes every lifecycle event, one at a time, and keeps it as its concrete contract type.</summary>
    public sealed class RecordingConsumer : IConsumer<IMaintenanceLifecycleEvent>
    {
        private readonly ConcurrentQueue<IMaintenanceLifecycleEvent> _received = new();

        public IReadOnlyCollection<IMaintenanceLifecycleEvent> Received => _received;

        public Task Consume(ConsumeContext<IMaintenanceLifecycleEvent> context)
        {
            _received.Enqueue(LifecycleEventMessages.Concrete(context));
            return Task.CompletedTask;
        }
    }
}
