using System.Collections.Immutable;
using MaintenancePortal.Contracts;

namespace MaintenancePortal.Grains.Events;

/// <summary>
/// The publishing half of a grain's outbox. The grain adds entries to its state and writes it;
/// <see cref="FlushAsync"/> then publishes them in order and clears them. If the bus refuses, the
/// entries stay: a timer retries every few seconds while the grain is active, and a reminder
/// (which survives a crash) brings it back every minute, until a flush succeeds.
/// </summary>
public sealed class GrainOutbox(Grain grain, ILifecycleEventPublisher events, Func<ImmutableList<OutboxEntry>> read,
    Func<ImmutableList<OutboxEntry>, Task> write)
{
    public const string ReminderName = "outbox";
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan QuickRetryPeriod = TimeSpan.FromSeconds(2);
    private bool _retrying;
    private IGrainTimer? _quickRetry;

    public static ImmutableList<OutboxEntry> Add(ImmutableList<OutboxEntry> outbox, IMaintenanceLifecycleEvent @event) =>
        outbox.Add(OutboxEntry.From(@event));

    /// <summary>The retry reminder fired: publish what is pending, and drop the reminder once done.</summary>
    public Task<bool> RetryAsync()
    {
        _retrying = true;
        return FlushAsync();
    }

    /// <summary>Publishes what is pending; true when nothing is left.</summary>
    public async Task<bool> FlushAsync()
    {
        var pending = read();
        if (pending.IsEmpty)
        {
            return true;
        }

        var published = 0;
        try
        {
            foreach (var entry in pending)
            {
                await events.PublishAsync(entry.ToEvent());
                published++;
            }
        }
        catch (Exception) when (published < pending.Count)
        {
            // The bus is away: keep the rest, and a reminder that brings this grain back to retry.
            await write(pending.RemoveRange(0, published));
            if (!_retrying)
            {
                await grain.RegisterOrUpdateReminder(ReminderName, RetryPeriod, RetryPeriod);
                _retrying = true;
            }

            _quickRetry ??= grain.RegisterGrainTimer(_ => FlushAsync(),
                new GrainTimerCreationOptions(QuickRetryPeriod, QuickRetryPeriod) { KeepAlive = true });
            return false;
        }

        await write([]);
        if (_retrying && await grain.GetReminder(ReminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }

        _retrying = false;
        _quickRetry?.Dispose();
        _quickRetry = null;
        return true;
    }
}
