using MaintenancePortal.Domain.Webhooks;
using Orleans.Concurrency;

namespace MaintenancePortal.Webhooks.Endpoints;

/// <summary>
/// One segment of an endpoint's backlog: messages queued beyond what the endpoint keeps in its
/// own state, in order, keyed <c>{endpoint key}/{segment number}</c>. Only its endpoint calls it.
/// Keeping the backlog in segments bounds every write, however long a receiver is away.
/// </summary>
public interface IWebhookBacklogGrain : IGrainWithStringKey
{
    /// <summary>Adds messages at the end; those it holds already (a retried call) are skipped.</summary>
    Task AppendAsync(IReadOnlyList<WebhookMessage> messages);

    /// <summary>The first messages, without removing them.</summary>
    [ReadOnly]
    Task<IReadOnlyList<WebhookMessage>> PeekAsync(int count);

    /// <summary>Removes messages (taken into the endpoint's own state); returns how many are left.</summary>
    Task<int> DropAsync(IReadOnlyList<string> messageIds);

    /// <summary>Removes everything; returns how many messages there were.</summary>
    Task<int> ClearAsync();
}
