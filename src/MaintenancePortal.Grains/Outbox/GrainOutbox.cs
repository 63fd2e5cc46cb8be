using System.Collections.Immutable;
using MaintenancePortal.Contracts;
using MaintenancePortal.Grains.Events;

namespace MaintenancePortal.Grains.Outbox;

/// <summary>
/// The delivering half of a grain's outbox: what a state change owes the world outside the grain
/// (events for the bus, calls to other grains). The grain adds entries to its state in the same
/// write as the change; <see cref="FlushAsync"/> then delivers them in order and clears them. If a
/// delivery fails, it and the entries after it stay: a timer retries every few seconds while the
/// grain is active, and a reminder (which survives a crash) brings the grain back every minute,
/// until a flush succeeds. Deliveries are at least once, so each must be safe to repeat.
/// </summary>
public sealed class GrainOutbox<TEntry>(Grain grain, string reminderName, Func<TEntry, Task> deliver,
    Func<ImmutableList<TEntry>> read, Func<ImmutableList<TEntry>, Task> write)
{
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan QuickRetryPeriod = TimeSpan.FromSeconds(2);
    private bool _retrying;
    private IGrainTimer? _quickRetry;

    /// <summary>The reminder this outbox registers while entries wait; the grain hands it back to <see cref="RetryAsync"/>.</summary>
    public string ReminderName => reminderName;

    /// <summary>The retry reminder fired: deliver what is pending, and drop the reminder once done.</summary>
    public Task<bool> RetryAsync()
    {
        _retrying = true;
        return FlushAsync();
    }

    /// <summary>Delivers what is pending; true when nothing is left.</summary>
    public async Task<bool> FlushAsync()
    {
        var pending = read();
        if (pending.IsEmpty)
        {
            return true;
        }

        var delivered = 0;
        try
        {
            foreach (var entry in pending)
            {
                await deliver(entry);
                delivered++;
            }
        }
        catch (Exception) when (delivered < pending.Count)
        {
            // The receiver is away: keep the rest, and a reminder that brings this grain back to retry.
            await write(pending.RemoveRange(0, delivered));
            if (!_retrying)
            {
                await grain.RegisterOrUpdateReminder(reminderName, RetryPeriod, RetryPeriod);
                _retrying = true;
            }

            _quickRetry ??= grain.RegisterGrainTimer(_ => FlushAsync(),
                new GrainTimerCreationOptions(QuickRetryPeriod, QuickRetryPeriod) { KeepAlive = true });
            return false;
        }

        await write([]);
        if (_retrying && await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }

        _retrying = false;
        _quickRetry?.Dispose();
        _quickRetry = null;
        return true;
    }
}

/// <summary>The outbox of lifecycle events every grain that announces changes keeps.</summary>
public static class GrainOutbox
{
    public const string EventsReminder = "outbox";

    public static GrainOutbox<OutboxEntry> ForEvents(Grain grain, ILifecycleEventPublisher events,
        Func<ImmutableList<OutboxEntry>> read, Func<ImmutableList<OutboxEntry>, Task> write) =>
        new(grain, EventsReminder, entry => events.PublishAsync(entry.ToEvent()), read, write);

    public static ImmutableList<OutboxEntry> Add(ImmutableList<OutboxEntry> outbox, IMaintenanceLifecycleEvent @event) =>
        outbox.Add(OutboxEntry.From(@event));
}
