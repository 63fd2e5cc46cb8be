using System.Collections.Immutable;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Grains;
using Orleans.Concurrency;

namespace MaintenancePortal.Notices.Contacts;

/// <summary>A tenant's e-mail contacts, keyed by tenant id: the list, and the hand-out of each notice to them.</summary>
public interface INoticeContactsGrain : IGrainWithStringKey
{
    /// <summary>The tenant's contact ids, oldest first.</summary>
    [ReadOnly]
    Task<IReadOnlyList<string>> GetContactIdsAsync();

    /// <summary>Adds a contact (created first on its own grain); refused beyond the most a tenant may have.</summary>
    Task AddAsync(string contactId);

    /// <summary>Removes a contact (deleted first on its own grain).</summary>
    Task RemoveAsync(string contactId);

    /// <summary>Offers notices to every contact of the tenant; each keeps those it chose. Returns how many were taken in all.</summary>
    [ReadOnly]
    Task<int> DispatchAsync(IReadOnlyList<Notice> notices);

    /// <summary>Whether any contact takes notices of the kind now.</summary>
    [ReadOnly]
    Task<bool> AnyTakesAsync(NoticeKind kind);
}

/// <summary>
/// The list of a tenant's contacts. Each contact decides for itself what it takes (its state and
/// choices live only there), so this list never has to be kept in step with them.
/// </summary>
public sealed class NoticeContactsGrain(
    [PersistentState("notice-contacts", StorageNames.Maintenance)] IPersistentState<NoticeContactsGrain.ContactsRecord> state)
    : Grain, INoticeContactsGrain
{
    /// <summary>The most contacts one tenant may have.</summary>
    public const int MaxContacts = 20;

    public Task<IReadOnlyList<string>> GetContactIdsAsync() => Task.FromResult<IReadOnlyList<string>>(state.State.ContactIds);

    public async Task AddAsync(string contactId)
    {
        if (state.State.ContactIds.Contains(contactId))
        {
            return;
        }

        if (state.State.ContactIds.Count >= MaxContacts)
        {
            throw new DomainException($"A tenant can have at most {MaxContacts} notice contacts.");
        }

        state.State.ContactIds = state.State.ContactIds.Add(contactId);
        await state.WriteStateAsync();
    }

    public async Task RemoveAsync(string contactId)
    {
        if (state.State.ContactIds.Contains(contactId))
        {
            state.State.ContactIds = state.State.ContactIds.Remove(contactId);
            await state.WriteStateAsync();
        }
    }

    public async Task<int> DispatchAsync(IReadOnlyList<Notice> notices)
    {
        var taken = await Task.WhenAll(Contacts().Select(c => c.EnqueueAsync(notices)));
        return taken.Sum();
    }

    public async Task<bool> AnyTakesAsync(NoticeKind kind) =>
        (await Task.WhenAll(Contacts().Select(c => c.TakesAsync(kind)))).Any(t => t);

    private IEnumerable<INoticeContactGrain> Contacts()
    {
        var tenantId = this.GetPrimaryKeyString();
        return state.State.ContactIds.Select(id => GrainFactory.GetGrain<INoticeContactGrain>(NoticeContactKey.Of(tenantId, id)));
    }

    [GenerateSerializer, Alias("MaintenancePortal.NoticeContactsRecord")]
    public sealed class ContactsRecord
    {
        [Id(0)] public ImmutableList<string> ContactIds { get; set; } = [];
    }
}
