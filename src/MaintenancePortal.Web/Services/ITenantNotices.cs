using MaintenancePortal.Domain.Notices;

namespace MaintenancePortal.Web.Services;

/// <summary>A tenant's e-mail contacts and their deliveries. Every call is for one tenant, and reaches only its contacts.</summary>
public interface ITenantNotices
{
    /// <summary>Whether notices really leave (an SMTP relay is configured), or are only written to the server's log.</summary>
    bool Sends { get; }

    Task<IReadOnlyList<ContactOverview>> ListAsync(string tenantId, CancellationToken cancellationToken = default);

    Task<ContactOverview> GetAsync(string tenantId, string contactId, CancellationToken cancellationToken = default);

    /// <summary>Adds a contact and sends it the confirmation link; it gets notices once the link is followed.</summary>
    Task<ContactOverview> CreateAsync(string tenantId, ContactSettings settings, CancellationToken cancellationToken = default);

    /// <summary>Changes a contact; a new address is confirmed again.</summary>
    Task<ContactOverview> UpdateAsync(string tenantId, string contactId, ContactSettings settings, CancellationToken cancellationToken = default);

    Task DeleteAsync(string tenantId, string contactId, CancellationToken cancellationToken = default);

    /// <summary>Sends the confirmation link again.</summary>
    Task<ContactOverview> ResendConfirmationAsync(string tenantId, string contactId, CancellationToken cancellationToken = default);
}
