using System.Text.Json;
using MaintenancePortal.Contracts;

namespace MaintenancePortal.Grains.Events;

/// <summary>
/// A lifecycle event waiting in a grain's state to be published: written in the same state write
/// as the change it announces, removed once the bus has confirmed it, published again after a
/// crash (so at least once; consumers drop duplicates by <see cref="EventId"/>).
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.OutboxEntry")]
public sealed record OutboxEntry(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] string Json)
{
    public static OutboxEntry From(IMaintenanceLifecycleEvent @event) =>
        new(@event.EventId, @event.GetType().FullName!, JsonSerializer.Serialize(@event, @event.GetType()));

    public IMaintenanceLifecycleEvent ToEvent() =>
        (IMaintenanceLifecycleEvent)JsonSerializer.Deserialize(Json,
            typeof(IMaintenanceLifecycleEvent).Assembly.GetType(Type, throwOnError: true)!)!;
}
