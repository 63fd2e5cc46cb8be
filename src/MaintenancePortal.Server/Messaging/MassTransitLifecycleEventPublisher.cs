using MaintenancePortal.Contracts;
using MaintenancePortal.Grains.Events;
using MassTransit;

namespace MaintenancePortal.Server.Messaging;

/// <summary>Publishes lifecycle events on the MassTransit bus, as their concrete type.</summary>
public sealed class MassTransitLifecycleEventPublisher(IBus bus) : ILifecycleEventPublisher
{
    public Task PublishAsync(IMaintenanceLifecycleEvent @event, CancellationToken cancellationToken = default) =>
        // Published as the concrete type so the message carries every type it implements; consumers
        // of one event type and consumers of IMaintenanceLifecycleEvent both receive it.
        bus.Publish(@event, @event.GetType(), context => context.MessageId = @event.EventId, cancellationToken);
}
