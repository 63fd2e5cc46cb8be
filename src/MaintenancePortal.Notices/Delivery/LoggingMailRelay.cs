using MaintenancePortal.Domain.Notices;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MaintenancePortal.Notices.Delivery;

/// <summary>
/// The relay of a server with no SMTP relay configured: each message is written to the log (subject,
/// recipient and the plain-text body, so a confirmation link can be followed), not sent. Such a
/// "delivery" never counts as notice given.
/// </summary>
public sealed partial class LoggingMailRelay(TimeProvider time, ILogger<LoggingMailRelay> logger) : IMailRelay
{
    public bool Delivers => false;

    public Task<RelayAnswer> SendAsync(string mailId, MimeMessage message, CancellationToken cancellationToken)
    {
        LogNotSent(logger, string.Join(", ", message.To.Mailboxes.Select(m => m.Address)), message.Subject, message.TextBody);
        return Task.FromResult(new RelayAnswer(mailId, time.GetUtcNow(), RelayOutcome.Accepted, null, "Logged, not sent: no SMTP relay is configured."));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Notice to {To} logged, not sent (no SMTP relay is configured): {Subject}\n{Body}")]
    private static partial void LogNotSent(ILogger logger, string to, string? subject, string? body);
}
