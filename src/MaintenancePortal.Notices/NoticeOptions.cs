namespace MaintenancePortal.Notices;

/// <summary>How the connection to the relay is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain SMTP (a relay on loopback or a private network only).</summary>
    None,

    /// <summary>SMTP upgraded with STARTTLS (port 587 at most providers); refused if the relay does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
}

/// <summary>
/// How notices are sent (section <c>MaintenancePortal:Notices</c>). With no <see cref="SmtpOptions.Host"/>
/// notices are rendered and logged, not sent, and the portal says so.
/// </summary>
public sealed class NoticeOptions
{
    public const string SectionName = "MaintenancePortal:Notices";

    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>The portal's address as tenants reach it, for the links in notices (the move's page, confirm, unsubscribe).</summary>
    public Uri? PortalUrl { get; set; }

    /// <summary>The sender of every notice.</summary>
    public string From { get; set; } = "maintenance@maintenanceportal.local";

    /// <summary>The sender's name as mail clients show it.</summary>
    public string FromName { get; set; } = "Maintenance notices";

    /// <summary>E-mails on their way to one contact at once.</summary>
    public int MaxInFlightPerContact { get; set; } = 4;
}

/// <summary>The SMTP relay (a provider's endpoint such as Azure Communication Services or SendGrid, or a local server).</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>Credentials, when the relay asks for them (from configuration or a secret store, never the repository).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>How long one attempt may take, connection included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections to the relay kept open and used at once.</summary>
    public int Connections { get; set; } = 4;
}
