using MaintenancePortal.Contracts;

namespace MaintenancePortal.Grains.Events;

/// <summary>Publishes lifecycle events to the bus. Grains call it after the change is stored.</summary>
public interface ILifecycleEventPublisher
{
    Task PublishAsync(IMaintenanceLifecycleEvent @event, CancellationToken cancellationToken = default);
}
