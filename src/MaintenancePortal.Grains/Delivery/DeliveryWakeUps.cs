namespace MaintenancePortal.Grains.Delivery;

/// <summary>
/// The one-shot timer a delivering grain (a webhook endpoint, a notice contact) sets for when its
/// next attempt is due, on the <see cref="TimeProvider"/>, so tests move it with a fake clock.
/// </summary>
public sealed class WakeUpTimer(TimeProvider time, Func<Task> wake) : IDisposable
{
    private ITimer? _timer;

    /// <summary>Wakes the grain at <paramref name="at"/> (at once when it has passed); <see cref="DateTimeOffset.MaxValue"/> for never.</summary>
    public void Set(DateTimeOffset at, DateTimeOffset now)
    {
        if (at == DateTimeOffset.MaxValue)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var delay = at <= now ? TimeSpan.Zero : at - now;
        if (_timer is null)
        {
            _timer = time.CreateTimer(_ => wake().Ignore(), null, delay, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    public void Stop() => _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

    public void Dispose() => _timer?.Dispose();
}

/// <summary>
/// A reminder a delivering grain keeps while it has anything waiting, so that a deactivation or a
/// crash does not strand it: registered when work arrives, removed when none is left. It remembers
/// what it last did, so it costs a reminder-table call only when it changes.
/// </summary>
public sealed class KeptReminder(IGrainBase grain, string name, TimeSpan period)
{
    private bool? _on;

    public async Task SetAsync(bool on)
    {
        if (_on == on)
        {
            return;
        }

        if (on)
        {
            await grain.RegisterOrUpdateReminder(name, period, period);
        }
        else if (await grain.GetReminder(name) is { } reminder)
        {
            await grain.UnregisterReminder(reminder);
        }

        _on = on;
    }

    /// <summary>The reminder fired, so it is registered.</summary>
    public void Fired() => _on = true;
}
