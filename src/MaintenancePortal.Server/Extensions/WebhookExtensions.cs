using MaintenancePortal.Server.Portal;
using MaintenancePortal.Web.Services;
using MaintenancePortal.Webhooks;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// Webhooks: the options, the sender's HTTP client (through the guarded handler: refused addresses,
/// no redirects) and the tenant's endpoints service. http:// and loopback receivers are allowed in
/// the embedded profile, and in the durable one only when a setting says so.
/// </summary>
public static class WebhookExtensions
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder, bool durable)
    {
        var services = builder.Services;
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName)
            .PostConfigure(options => options.AllowInsecureUrls ??= !durable)
            .Validate(options => options.Timeout > TimeSpan.Zero && options.MaxResponseBytes > 0 && options.MaxInFlightPerEndpoint > 0,
                "Webhooks need a positive Timeout, MaxResponseBytes and MaxInFlightPerEndpoint.");
        services.AddHttpClient<WebhookSender>(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp =>
                GuardedHttpHandler.Create(allowLoopback: sp.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowInsecureUrls == true))
            // One log line per attempt would flood the log; the delivery log records every attempt.
            .RemoveAllLoggers();
        services.AddSingleton<ITenantWebhooks, OrleansTenantWebhooks>();
        return builder;
    }
}
