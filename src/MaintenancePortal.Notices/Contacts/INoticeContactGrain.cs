using MaintenancePortal.Domain.Notices;
using Orleans.Concurrency;

namespace MaintenancePortal.Notices.Contacts;

/// <summary>
/// One e-mail contact of one tenant, keyed <c>{tenantId}/{contactId}</c> (<see cref="NoticeContactKey"/>),
/// so a tenant can only ever name its own: settings and state, the e-mails waiting, the day's digest
/// and the delivery log; it drives the attempts and their retries. Every call but
/// <see cref="CreateAsync"/> on a contact that does not exist is refused as not found.
/// </summary>
public interface INoticeContactGrain : IGrainWithStringKey
{
    [ReadOnly]
    Task<ContactOverview?> GetAsync();

    /// <summary>Creates the contact, unconfirmed, and sends the confirmation link; nothing else is sent before it is followed.</summary>
    Task<ContactOverview> CreateAsync(ContactSettings settings);

    /// <summary>New settings; a new address is confirmed again (what waited for the old one is dropped).</summary>
    Task<ContactOverview> UpdateAsync(ContactSettings settings);

    /// <summary>Removes the contact: nothing more is sent, its links stop working.</summary>
    Task DeleteAsync();

    /// <summary>Sends the confirmation link again (an unconfirmed or bounced address).</summary>
    Task<ContactOverview> ResendConfirmationAsync();

    /// <summary>The confirmation link was followed: true when the token is the contact's current one.</summary>
    Task<bool> ConfirmAsync(string token);

    /// <summary>The unsubscribe link was used (one click): true when the token is the contact's current one.</summary>
    Task<bool> UnsubscribeAsync(string token);

    /// <summary>Takes the notices the contact chose and has not taken before; returns how many it took.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<Notice> notices);

    /// <summary>Whether the contact takes notices of the kind now (confirmed, and it chose the kind).</summary>
    [ReadOnly]
    Task<bool> TakesAsync(NoticeKind kind);

    /// <summary>Closes a due digest and starts the attempts that are due (the wake-up timer and the reminder call it).</summary>
    Task DeliverDueAsync();

    /// <summary>The relay's answer to an attempt the contact started.</summary>
    Task RecordAsync(RelayAnswer answer);
}

/// <summary>The key of a contact grain: the tenant and the contact id.</summary>
public static class NoticeContactKey
{
    public static string Of(string tenantId, string contactId) => $"{tenantId}/{contactId}";

    public static (string TenantId, string ContactId) Parse(string key)
    {
        var slash = key.LastIndexOf('/');
        return (key[..slash], key[(slash + 1)..]);
    }
}
