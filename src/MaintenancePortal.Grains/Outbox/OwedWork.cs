using System.Collections.Immutable;
using MaintenancePortal.Grains.Events;
using Microsoft.Extensions.Logging;

namespace MaintenancePortal.Grains.Outbox;

/// <summary>The state of a grain whose changes owe calls to other grains and events for the bus.</summary>
public interface IOwingState
{
    /// <summary>Calls to other grains written with a change and not yet made.</summary>
    ImmutableList<FollowUp> FollowUps { get; set; }

    /// <summary>Events written with a change and not yet confirmed by the bus.</summary>
    ImmutableList<OutboxEntry> Outbox { get; set; }
}

/// <summary>
/// Brings a grain back for the work its stored state owes (its outboxes: events to publish, calls
/// to other grains) whatever fails on the way, its own silo included. The durable wake-up, a
/// reminder, is registered <em>before</em> the first write that records owed work: neither a crash
/// right after that write nor the failure of any later call (the bus, another grain, the reminder
/// service itself) can leave the work with no one to do it. While the grain is active a timer
/// retries every few seconds; otherwise the reminder brings it back every minute. The reminder's
/// first tick that finds nothing owed removes it.
/// </summary>
public sealed partial class OwedWork(Grain grain, ILogger logger, Func<Task> writeState, params IGrainOutbox[] outboxes)
{
    public const string ReminderName = "owed-work";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RetryPeriod = TimeSpan.FromSeconds(2);

    private bool _reminderRegistered;
    private bool _unsaved;
    private IGrainTimer? _retry;

    /// <summary>What a change of <paramref name="state"/> owes: first the calls to other grains, then the events that announce it.</summary>
    public static OwedWork Of<TState>(Grain grain, IGrainFactory grains, ILogger logger, IPersistentState<TState> state,
        ILifecycleEventPublisher events)
        where TState : IOwingState =>
        new(grain, logger, () => state.WriteOrReloadAsync(grain),
            FollowUp.Outbox(grains, logger, () => state.State.FollowUps, pending => state.State.FollowUps = pending),
            GrainOutbox.ForEvents(events, () => state.State.Outbox, pending => state.State.Outbox = pending));

    /// <summary>Whether anything is owed (in memory; stored once delivered work is written).</summary>
    public bool IsOwed => outboxes.Any(o => o.Count > 0);

    /// <summary>
    /// Call before a state write that records owed work. If the reminder cannot be registered this
    /// throws, and the change must not be written: no work is taken on that nothing would come back for.
    /// </summary>
    public async Task PromiseAsync()
    {
        if (!_reminderRegistered)
        {
            await grain.RegisterOrUpdateReminder(ReminderName, ReminderPeriod, ReminderPeriod);
            _reminderRegistered = true;
        }
    }

    /// <summary>
    /// Delivers what is owed, in order, and stores what is left. A failure is logged and retried
    /// every few seconds while the grain is active; true when nothing is left.
    /// </summary>
    public async Task<bool> SettleAsync()
    {
        var before = outboxes.Sum(o => o.Count);
        try
        {
            foreach (var outbox in outboxes)
            {
                await outbox.DeliverAsync();
            }
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(logger, grain.GetGrainId(), ex.GetType().Name, ex.Message);
        }

        try
        {
            if (_unsaved || outboxes.Sum(o => o.Count) < before)
            {
                _unsaved = true;
                await writeState();
                _unsaved = false;
            }
        }
        catch (Exception ex)
        {
            LogWriteFailed(logger, grain.GetGrainId(), ex.GetType().Name, ex.Message);
        }

        var done = !IsOwed && !_unsaved;
        if (done)
        {
            _retry?.Dispose();
            _retry = null;
        }
        else
        {
            RetryIn(RetryPeriod);
        }

        return done;
    }

    /// <summary>
    /// Call when the grain activates: what a crash left owed is delivered right after the
    /// activation, not during it, as a grain it calls may itself be activating and reading this one
    /// (requests wait for an activation to finish).
    /// </summary>
    public void OnActivate()
    {
        if (IsOwed)
        {
            RetryIn(TimeSpan.Zero);
        }
    }

    /// <summary>
    /// The reminder fired: settle, and drop the reminder once nothing is owed. The grain hands over
    /// every reminder that is not its own; one of an earlier version (a retry reminder per outbox)
    /// settles too and is dropped.
    /// </summary>
    public async Task OnReminderAsync(string reminderName)
    {
        var ours = reminderName == ReminderName;
        _reminderRegistered |= ours;
        if ((await SettleAsync() || !ours) && await grain.GetReminder(reminderName) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
            _reminderRegistered &= !ours;
        }
    }

    private void RetryIn(TimeSpan due) =>
        _retry ??= grain.RegisterGrainTimer(async _ => await SettleAsync(), new GrainTimerCreationOptions(due, RetryPeriod) { KeepAlive = true });

    [LoggerMessage(LogLevel.Warning, "{GrainId}: owed work not delivered ({Error}: {Message}); tried again in a few seconds")]
    private static partial void LogDeliveryFailed(ILogger logger, GrainId grainId, string error, string message);

    [LoggerMessage(LogLevel.Warning, "{GrainId}: what was delivered could not be stored ({Error}: {Message}); tried again in a few seconds")]
    private static partial void LogWriteFailed(ILogger logger, GrainId grainId, string error, string message);
}
