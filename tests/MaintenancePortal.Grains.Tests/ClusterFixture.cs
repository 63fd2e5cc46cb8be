using System.Collections.Concurrent;
using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Grains.Events;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Notices;
using MaintenancePortal.Grains.Outbox;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Hypervisors;
using MaintenancePortal.Hypervisors.Simulated;
using MaintenancePortal.Server.Messaging;
using MaintenancePortal.Tests.Shared;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
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

    /// <summary>Grain calls and reminder registrations to fail, as when the silo holding them is going away.</summary>
    public FaultSwitch Faults => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<FaultSwitch>();

    /// <summary>Every lifecycle event consumed from the bus, in arrival order.</summary>
    public IReadOnlyCollection<IMaintenanceLifecycleEvent> Received =>
        ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredService<RecordingConsumer>().Received;

    /// <summary>
    /// What the grains have stored (not what their activations hold in memory), for the owed-work
    /// check: the given maintenance events, instances and hosts, and the migration slots.
    /// </summary>
    public async Task<StoredCluster> StoredAsync(IEnumerable<string> maintenanceIds, IEnumerable<string> instanceIds, IEnumerable<string> hostIds)
    {
        var storage = ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Maintenance);

        async Task<T> ReadAsync<T>(string grainType, string key, string stateName) where T : new()
        {
            var state = new GrainState<T>(new T());
            await storage.ReadStateAsync(stateName, GrainId.Create(grainType, key), state);
            return state.State ?? new T();
        }

        async Task<Dictionary<string, T>> ReadAllAsync<T>(IEnumerable<string> keys, string grainType, string stateName) where T : new() =>
            (await Task.WhenAll(keys.Select(async key => (key, await ReadAsync<T>(grainType, key, stateName))))).ToDictionary(r => r.key, r => r.Item2);

        return new StoredCluster(
            await ReadAllAsync<MaintenanceEventGrain.MaintenanceRecord>(maintenanceIds, "maintenanceevent", "maintenance"),
            await ReadAllAsync<InstanceGrain.InstanceRecord>(instanceIds, "instance", "instance"),
            await ReadAllAsync<DedicatedHostGrain.HostRecord>(hostIds, "dedicatedhost", "host"),
            (await ReadAsync<MigrationSlotsGrain.SlotsRecord>("migrationslots", MigrationSlotsGrainKey.Default, "slots")).Slots,
            await ReadAsync<FleetGrain.FleetRecord>("fleet", FleetGrainKey.Default, "fleet"));
    }

    public async ValueTask InitializeAsync() => await Cluster.DeployAsync();

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder
            .AddMemoryGrainStorage(StorageNames.Maintenance)
            .UseInMemoryReminderService()
            .AddIncomingGrainCallFilter<FaultFilter>()
            .ConfigureServices(services =>
            {
                services.AddSingleton<FaultSwitch>();
                services.AddSingleton<IMoveIndexStore, MemoryMoveIndexStore>();
                services.AddSingleton<INoticeChannels, PortalOnlyNoticeChannels>();
                // Grain state in Orleans' binary format, as the server stores it (JSON cannot read immutable collections back).
                services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
                // The reminder table answers through the switch: registering or removing a reminder can fail.
                FaultyReminderTable.Replace(services, sp => () => sp.GetRequiredService<FaultSwitch>().RemindersFail);
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
                    bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
                    bus.AddConsumer<RecordingConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
                    bus.UsingInMemory((context, transport) =>
                    {
                        transport.ConfigurePublish(publish => publish.UseFilter(new HangingPublishFilter(context.GetRequiredService<BusSwitch>())));
                        transport.ConfigureEndpoints(context);
                    });
                });
                services.AddSingleton<MassTransitLifecycleEventPublisher>();
                services.AddSingleton<BusSwitch>();
                services.AddSingleton<ILifecycleEventPublisher, SwitchedPublisher>();
            });
    }

    /// <summary>Whether the broker is reachable, as the grains' publisher sees it.</summary>
    public sealed class BusSwitch
    {
        private volatile TaskCompletionSource? _hanging;

        public volatile bool Down;

        /// <summary>Publishes in flight while this is set.</summary>
        internal Task? Hanging => _hanging?.Task is { IsCompleted: false } hanging ? hanging : null;

        /// <summary>
        /// Every publish waits, whatever its cancellation token says, until the returned handle is
        /// disposed, and then fails: as a publish whose confirmation was lost with the broker's connection.
        /// </summary>
        public IDisposable Hang()
        {
            var hanging = _hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new Heal(() => hanging.TrySetException(new IOException("The broker's connection was closed (injected).")));
        }
    }

    /// <summary>In the bus's publish pipe: holds each publish while <see cref="BusSwitch.Hang"/> is in force.</summary>
    private sealed class HangingPublishFilter(BusSwitch bus) : IFilter<PublishContext>
    {
        public async Task Send(PublishContext context, IPipe<PublishContext> next)
        {
            if (bus.Hanging is { } hanging)
            {
                await hanging; // context.CancellationToken is not looked at
            }

            await next.Send(context);
        }

        public void Probe(ProbeContext context) => context.CreateFilterScope("hanging-publish");
    }

    private sealed class Heal(Action heal) : IDisposable
    {
        public void Dispose() => heal();
    }

    /// <summary>
    /// Faults to inject: calls to a grain method that fail (as when the silo holding the grain died
    /// and the cluster has not noticed yet), and a reminder service that cannot register reminders.
    /// </summary>
    public sealed class FaultSwitch
    {
        private readonly ConcurrentDictionary<string, int> _failingCalls = new();

        public volatile bool RemindersFail;

        /// <summary>Fails every call to the method until the returned handle is disposed.</summary>
        public IDisposable FailCalls<TGrain>(string method)
        {
            var key = Key(typeof(TGrain), method);
            _failingCalls[key] = 0;
            return new Heal(() => _failingCalls.TryRemove(key, out _));
        }

        /// <summary>How many calls to the method were failed so far.</summary>
        public int Failed<TGrain>(string method) => _failingCalls.GetValueOrDefault(Key(typeof(TGrain), method));

        internal bool TryFail(Type? grainInterface, string method)
        {
            var key = Key(grainInterface, method);
            if (!_failingCalls.ContainsKey(key))
            {
                return false;
            }

            _failingCalls.AddOrUpdate(key, 1, (_, n) => n + 1);
            return true;
        }

        private static string Key(Type? grainInterface, string method) => $"{grainInterface?.FullName}.{method}";
    }

    private sealed class FaultFilter(FaultSwitch faults) : IIncomingGrainCallFilter
    {
        public Task Invoke(IIncomingGrainCallContext context) => faults.TryFail(context.InterfaceMethod?.DeclaringType, context.MethodName)
            ? throw new SiloUnavailableException($"{context.InterfaceName}.{context.MethodName} failed (injected).")
            : context.Invoke();
    }

    /// <summary>The real publisher, refusing while the switch says the broker is down.</summary>
    public sealed class SwitchedPublisher(MassTransitLifecycleEventPublisher inner, BusSwitch bus) : ILifecycleEventPublisher
    {
        public Task PublishAsync(IMaintenanceLifecycleEvent @event, CancellationToken cancellationToken = default) =>
            bus.Down ? throw new InvalidOperationException("The broker is unreachable.") : inner.PublishAsync(@event, cancellationToken);
    }

    /// <summary>
    /// The simulated hypervisor with three faults to inject: the first live attempt of an instance
    /// named "flaky…" fails (as when the destination dies mid-migration), the first live attempt of
    /// one named "stuck…" makes no progress until an operator aborts or forces it, and the first
    /// live attempt of one named "imposter…" completes with the instance under another IP.
    /// </summary>
    public sealed class FaultyHypervisor(SimulatedHypervisorDriver inner) : IHypervisorDriver
    {
        private readonly ConcurrentDictionary<string, bool> _failing = new();
        private readonly ConcurrentDictionary<string, bool> _stuck = new();
        private readonly ConcurrentDictionary<string, bool> _imposter = new();

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
                else if (request.Instance.Name.StartsWith("imposter", StringComparison.Ordinal))
                {
                    _imposter[request.MigrationId] = true;
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

        public async Task<LiveMigrationStatus> GetStatusAsync(string migrationId, CancellationToken cancellationToken = default)
        {
            if (_failing.ContainsKey(migrationId))
            {
                return new LiveMigrationStatus(MigrationPhase.Failed, Error: "The destination host stopped answering.");
            }

            if (_stuck.ContainsKey(migrationId))
            {
                return new LiveMigrationStatus(MigrationPhase.PreCopy, new MigrationProgress(3, 1, 1, 900, 900, 50));
            }

            var status = await inner.GetStatusAsync(migrationId, cancellationToken);
            return status.Result is { } result && _imposter.ContainsKey(migrationId)
                ? status with { Result = result with { PrivateIpOnDestination = "10.255.255.254" } }
                : status;
        }
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
