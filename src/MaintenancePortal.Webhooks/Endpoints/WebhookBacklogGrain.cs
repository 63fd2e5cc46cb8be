using System.Collections.Immutable;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Grains;

namespace MaintenancePortal.Webhooks.Endpoints;

/// <summary>A segment of an endpoint's backlog, stored as one list.</summary>
public sealed class WebhookBacklogGrain(
    [PersistentState("webhook-backlog", StorageNames.Maintenance)] IPersistentState<WebhookBacklogGrain.SegmentRecord> state)
    : Grain, IWebhookBacklogGrain
{
    public async Task AppendAsync(IReadOnlyList<WebhookMessage> messages)
    {
        var held = state.State.Messages.Select(m => m.MessageId).ToHashSet();
        var added = messages.Where(m => held.Add(m.MessageId)).ToList();
        if (added.Count > 0)
        {
            state.State.Messages = state.State.Messages.AddRange(added);
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<WebhookMessage>> PeekAsync(int count) =>
        Task.FromResult<IReadOnlyList<WebhookMessage>>([.. state.State.Messages.Take(count)]);

    public async Task<int> DropAsync(IReadOnlyList<string> messageIds)
    {
        var dropped = messageIds.ToHashSet();
        var left = state.State.Messages.RemoveAll(m => dropped.Contains(m.MessageId));
        if (left.IsEmpty)
        {
            await state.ClearStateAsync();
            DeactivateOnIdle();
        }
        else if (left.Count != state.State.Messages.Count)
        {
            state.State.Messages = left;
            await state.WriteStateAsync();
        }

        return left.Count;
    }

    public async Task<int> ClearAsync()
    {
        var count = state.State.Messages.Count;
        await state.ClearStateAsync();
        DeactivateOnIdle();
        return count;
    }

    [GenerateSerializer, Alias("MaintenancePortal.WebhookBacklogSegment")]
    public sealed class SegmentRecord
    {
        [Id(0)] public ImmutableList<WebhookMessage> Messages { get; set; } = [];
    }
}
