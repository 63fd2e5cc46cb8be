using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>E-mail contacts per tenant in memory, made and changed through the domain; each call records the tenant it was for.</summary>
public sealed class TestTenantNotices : ITenantNotices
{
    public Dictionary<(string Tenant, string Id), ContactOverview> Contacts { get; } = [];

    public List<string> Calls { get; } = [];

    public bool Sends { get; set; } = true;

    public Task<IReadOnlyList<ContactOverview>> ListAsync(string tenantId, CancellationToken cancellationToken = default)
    {
        Calls.Add(tenantId);
        return Task.FromResult<IReadOnlyList<ContactOverview>>([.. Contacts.Where(c => c.Key.Tenant == tenantId).Select(c => c.Value)]);
    }

    public Task<ContactOverview> GetAsync(string tenantId, string contactId, CancellationToken cancellationToken = default) =>
        Task.FromResult(Contacts.GetValueOrDefault((tenantId, contactId)) ?? throw new NotFoundException($"You have no notice contact {contactId}."));

    public Task<ContactOverview> CreateAsync(string tenantId, ContactSettings settings, CancellationToken cancellationToken = default)
    {
        Calls.Add(tenantId);
        var contact = NoticeContact.Create($"ct_{Contacts.Count + 1}", tenantId, settings.Address, settings.Kinds.IsDefault ? null : settings.Kinds,
            settings.Cadence, settings.DigestHour, settings.TimeZone, Moves.Now);
        return Task.FromResult(Contacts[(tenantId, contact.ContactId)] = new ContactOverview(contact, 1, 0, null, []));
    }

    public async Task<ContactOverview> UpdateAsync(string tenantId, string contactId, ContactSettings settings, CancellationToken cancellationToken = default)
    {
        var before = await GetAsync(tenantId, contactId, cancellationToken);
        var contact = before.Contact.Change(settings.Address, settings.Kinds.IsDefault ? null : settings.Kinds, settings.Cadence, settings.DigestHour,
            settings.TimeZone);
        return Contacts[(tenantId, contactId)] = before with { Contact = contact };
    }

    public async Task DeleteAsync(string tenantId, string contactId, CancellationToken cancellationToken = default)
    {
        await GetAsync(tenantId, contactId, cancellationToken);
        Contacts.Remove((tenantId, contactId));
    }

    public Task<ContactOverview> ResendConfirmationAsync(string tenantId, string contactId, CancellationToken cancellationToken = default) =>
        GetAsync(tenantId, contactId, cancellationToken);
}
