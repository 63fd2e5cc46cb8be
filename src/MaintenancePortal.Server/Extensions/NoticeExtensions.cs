using MaintenancePortal.Grains.Notices;
using MaintenancePortal.Notices;
using MaintenancePortal.Notices.Delivery;
using MaintenancePortal.Server.Portal;
using MaintenancePortal.Web.Services;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// E-mail notices: the options, the relay (MailKit to <c>MaintenancePortal:Notices:Smtp</c>, or the
/// log when no host is set), the composer, the tenant's contacts service, and the channels a move's
/// notice counts from.
/// </summary>
public static class NoticeExtensions
{
    public static WebApplicationBuilder AddNotices(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<NoticeOptions>().BindConfiguration(NoticeOptions.SectionName)
            .Validate(o => o.MaxInFlightPerContact > 0 && o.Smtp.Connections > 0 && o.Smtp.Timeout > TimeSpan.Zero
                           && o.Smtp.Port is > 0 and <= 65535 && Enum.IsDefined(o.Smtp.Security),
                "Notices need a positive MaxInFlightPerContact, Smtp:Connections and Smtp:Timeout, an Smtp:Port from 1 to 65535 and an Smtp:Security of None, StartTls or SslOnConnect.")
            .Validate(o => MailboxAddress.TryParse(o.From, out var from) && from.Address == o.From,
                "MaintenancePortal:Notices:From must be a plain e-mail address.")
            .Validate(o => o.PortalUrl is null || (o.PortalUrl.IsAbsoluteUri && o.PortalUrl.Scheme is "http" or "https"),
                "MaintenancePortal:Notices:PortalUrl must be an absolute http(s) address.")
            .ValidateOnStart();
        services.AddSingleton<IPortalAddress, ServerPortalAddress>();
        services.AddSingleton<NoticeComposer>();
        services.AddSingleton<IMailRelay>(sp => string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<NoticeOptions>>().Value.Smtp.Host)
            ? ActivatorUtilities.CreateInstance<LoggingMailRelay>(sp)
            : ActivatorUtilities.CreateInstance<SmtpMailRelay>(sp));
        services.AddSingleton<INoticeChannels, TenantNoticeChannels>();
        services.AddSingleton<ITenantNotices, OrleansTenantNotices>();
        return builder;
    }
}
