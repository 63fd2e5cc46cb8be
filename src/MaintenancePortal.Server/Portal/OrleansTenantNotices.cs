using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Notices.Contacts;
using MaintenancePortal.Notices.Delivery;
using MaintenancePortal.Server.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Portal;

/// <summary>
/// The tenant's e-mail contacts, answered by the contact grains. A contact grain is keyed by the
/// tenant as well as the contact, so another tenant's contact id reaches nothing.
/// </summary>
public sealed class OrleansTenantNotices(IGrainFactory grains, IMailRelay relay, AuditRecorder audit) : ITenantNotices
{
    public const string IdPrefix = "ct_";

    public bool Sends => relay.Delivers;

    public async Task<IReadOnlyList<ContactOverview>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        var ids = await Contacts(tenantId).GetContactIdsAsync();
        var contacts = await Task.WhenAll(ids.Select(id => Contact(tenantId, id).GetAsync()));
        return [.. contacts.OfType<ContactOverview>()];
    }

    public async Task<ContactOverview> GetAsync(string tenantId, string contactId, CancellationToken cancellationToken = default) =>
        await Contact(tenantId, contactId).GetAsync() ?? throw Unknown(contactId);

    public Task<ContactOverview> CreateAsync(string tenantId, ContactSettings settings, CancellationToken cancellationToken = default)
    {
        var id = IdPrefix + Guid.NewGuid().ToString("N");
        return audit.RunAsync(AuditActions.ContactCreate, tenantId, id, async () =>
        {
            // The settings are checked before anything is made (the contact checks them again with the same rule).
            _ = NoticeContact.Create(id, tenantId, settings.Address, settings.Kinds.IsDefault ? null : settings.Kinds, settings.Cadence,
                settings.DigestHour, settings.TimeZone, DateTimeOffset.UnixEpoch);
            // The list first (it refuses one contact too many), then the contact: a contact exists only once listed, so it is
            // offered every notice. A failure in between leaves an id the list holds and no contact, which takes nothing.
            await Contacts(tenantId).AddAsync(id);
            return await Contact(tenantId, id).CreateAsync(settings);
        }, cancellationToken: cancellationToken);
    }

    public Task<ContactOverview> UpdateAsync(string tenantId, string contactId, ContactSettings settings, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.ContactUpdate, tenantId, contactId, async () =>
        {
            await GetAsync(tenantId, contactId, cancellationToken);
            return await Contact(tenantId, contactId).UpdateAsync(settings);
        }, cancellationToken: cancellationToken);

    public Task DeleteAsync(string tenantId, string contactId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.ContactDelete, tenantId, contactId, async () =>
        {
            await GetAsync(tenantId, contactId, cancellationToken);
            await Contact(tenantId, contactId).DeleteAsync();
            await Contacts(tenantId).RemoveAsync(contactId);
            return true;
        }, cancellationToken: cancellationToken);

    public Task<ContactOverview> ResendConfirmationAsync(string tenantId, string contactId, CancellationToken cancellationToken = default) =>
        audit.RunAsync(AuditActions.ContactResendConfirmation, tenantId, contactId, async () =>
        {
            await GetAsync(tenantId, contactId, cancellationToken);
            return await Contact(tenantId, contactId).ResendConfirmationAsync();
        }, cancellationToken: cancellationToken);

    private INoticeContactsGrain Contacts(string tenantId) => grains.GetGrain<INoticeContactsGrain>(tenantId);

    private INoticeContactGrain Contact(string tenantId, string contactId) =>
        grains.GetGrain<INoticeContactGrain>(NoticeContactKey.Of(tenantId, contactId));

    private static NotFoundException Unknown(string contactId) => new($"You have no notice contact {contactId}.");
}
