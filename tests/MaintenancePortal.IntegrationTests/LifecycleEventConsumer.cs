using System.Collections.Concurrent;
using MaintenancePortal.Contracts;
using MassTransit;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// A subscriber on RabbitMQ that keeps each lifecycle event once, by event id, as a tenant's
/// system would. Its queue is durable, so events published while it is cut off wait for it.
/// </summary>
internal sealed class LifecycleEventConsumer : IAsyncDisposable
{
    private readonly IBusControl _bus;

    private LifecycleEventConsumer(IBusControl bus) => _bus = bus;

    public ConcurrentDictionary<Guid, IMaintenanceLifecycleEvent> Events { get; } = new();

    public static async Task<LifecycleEventConsumer> StartAsync(string rabbitMq, CancellationToken cancellationToken)
    {
        LifecycleEventConsumer? consumer = null;
        var subscribed = 0;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitMq));
            cfg.ReceiveEndpoint($"it-subscriber-{Guid.NewGuid():N}", endpoint =>
            {
                endpoint.QueueExpiration = TimeSpan.FromMinutes(10); // gone a while after the test, not when a connection drops

                // One handler per concrete type: a handler of the interface gets a proxy, not the record.
                void On<T>() where T : class, IMaintenanceLifecycleEvent
                {
                    subscribed++;
                    endpoint.Handler<T>(context =>
                    {
                        consumer!.Events.TryAdd(context.Message.EventId, context.Message);
                        return Task.CompletedTask;
                    });
                }

                On<HostMaintenanceStarted>();
                On<InstanceMigrationScheduled>();
                On<InstanceMigrationStarted>();
                On<InstanceMigrationProgressed>();
                On<InstanceMigrationCompleted>();
                On<InstanceMigrationFailed>();
                On<InstanceRebootScheduled>();
                On<InstanceRebootCompleted>();
                On<HostDrained>();
                On<HostMaintenanceCompleted>();
                On<HostMaintenanceCancelled>();
                On<InstanceMoveCancelled>();
                On<SlaAtRisk>();
            });
        });
        Assert.Equal(LifecycleEventTypes.All.Count, subscribed);
        consumer = new LifecycleEventConsumer(bus);
        await bus.StartAsync(cancellationToken);
        return consumer;
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}
