using MaintenancePortal.Domain.Notices;
using MimeKit;

namespace MaintenancePortal.Notices.Delivery;

/// <summary>Where e-mails go: an SMTP relay, or (with none configured) the log.</summary>
public interface IMailRelay
{
    /// <summary>Whether an accepted e-mail really left (false when notices are only logged): only a real delivery gives notice.</summary>
    bool Delivers { get; }

    /// <summary>Sends one message; every outcome, failures included, comes back as the relay's answer.</summary>
    Task<RelayAnswer> SendAsync(string mailId, MimeMessage message, CancellationToken cancellationToken);
}
