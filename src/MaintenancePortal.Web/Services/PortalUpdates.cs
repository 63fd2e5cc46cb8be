using System.Collections.Immutable;
using Microsoft.Extensions.Logging;

namespace MaintenancePortal.Web.Services;

/// <summary>In-process fan-out of change notices to the pages open on this server.</summary>
public sealed partial class PortalUpdates(ILogger<PortalUpdates> logger) : IPortalUpdates
{
    private ImmutableList<Subscription> _subscriptions = [];

    public IDisposable Subscribe(string? tenantId, Func<Task> changed)
    {
        var subscription = new Subscription(this, tenantId, changed);
        ImmutableInterlocked.Update(ref _subscriptions, list => list.Add(subscription));
        return subscription;
    }

    /// <summary>Something of <paramref name="tenantId"/> changed. Returns at once; pages reload on their own.</summary>
    public void Notify(string tenantId)
    {
        foreach (var subscription in _subscriptions)
        {
            if (subscription.TenantId is null || subscription.TenantId == tenantId)
            {
                _ = NotifyOneAsync(subscription);
            }
        }
    }

    private async Task NotifyOneAsync(Subscription subscription)
    {
        try
        {
            await subscription.Changed();
        }
        catch (Exception ex)
        {
            // A page whose circuit has gone away: it will unsubscribe when disposed.
            LogNotifyFailed(logger, ex);
        }
    }

    [LoggerMessage(LogLevel.Debug, "A page could not be told of a change")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception);

    private sealed record Subscription(PortalUpdates Owner, string? TenantId, Func<Task> Changed) : IDisposable
    {
        public void Dispose() => ImmutableInterlocked.Update(ref Owner._subscriptions, list => list.Remove(this));
    }
}
