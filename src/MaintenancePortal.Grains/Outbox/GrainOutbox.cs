using System.Collections.Immutable;
using MaintenancePortal.Contracts;
using MaintenancePortal.Grains.Events;

namespace MaintenancePortal.Grains.Outbox;

/// <summary>One list of work that a grain's stored state owes, as <see cref="OwedWork"/> sees it.</summary>
public interface IGrainOutbox
{
    int Count { get; }

    /// <summary>Delivers the entries in order; each leaves the list (in memory) once delivered. Throws at the first that fails, keeping it and the rest.</summary>
    Task DeliverAsync();
}

/// <summary>
/// Work a grain's change owes the world outside the grain (events for the bus, calls to other
/// grains): the grain adds the entries to its state in the same write as the change, then
/// <see cref="OwedWork"/> delivers them, in order, and stores what is left. Deliveries are at
/// least once, so each must be safe to repeat.
/// </summary>
public sealed class GrainOutbox<TEntry>(Func<TEntry, Task> deliver, Func<ImmutableList<TEntry>> read, Action<ImmutableList<TEntry>> set)
    : IGrainOutbox
{
    public int Count => read().Count;

    public async Task DeliverAsync()
    {
        while (read() is { IsEmpty: false } pending)
        {
            await deliver(pending[0]);
            set(read().Remove(pending[0]));
        }
    }
}

/// <summary>The outbox of lifecycle events every grain that announces changes keeps.</summary>
public static class GrainOutbox
{
    public static GrainOutbox<OutboxEntry> ForEvents(ILifecycleEventPublisher events,
        Func<ImmutableList<OutboxEntry>> read, Action<ImmutableList<OutboxEntry>> set) =>
        new(entry => events.PublishAsync(entry.ToEvent()), read, set);

    public static ImmutableList<OutboxEntry> Add(ImmutableList<OutboxEntry> outbox, IMaintenanceLifecycleEvent @event) =>
        outbox.Add(OutboxEntry.From(@event));
}
