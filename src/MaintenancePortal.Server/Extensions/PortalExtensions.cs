using System.Text.Json.Serialization;
using MaintenancePortal.Server.Access;
using MaintenancePortal.Server.Api;
using MaintenancePortal.Server.Health;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using MaintenancePortal.Server.Metadata;
using MaintenancePortal.Server.Portal;
using MaintenancePortal.Web.Components;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Http.Features;
using MudBlazor.Services;

namespace MaintenancePortal.Server.Extensions;

/// <summary>The web side: the Blazor portal, the REST API, errors as problem details, health (who gets in: <see cref="AccessExtensions"/>).</summary>
public static class PortalExtensions
{
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();

        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Strict reading of request bodies: enums by name only, no unknown or repeated members, a
        // bounded size, and every refusal (problem details, 400) naming the field.
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new StrictEnumConverter());
            json.SerializerOptions.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
            json.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<ResourceIdConstraint>(ResourceIdConstraint.Name));
        services.AddHealthChecks();
        services.AddApiDocumentation();

        services.AddSingleton<PortalUpdates>();
        services.AddSingleton<IPortalUpdates>(sp => sp.GetRequiredService<PortalUpdates>());
        services.AddSingleton<ITenantPortal, OrleansTenantPortal>();
        services.AddSingleton<IOperatorConsole, OrleansOperatorConsole>();
        services.AddSingleton<IApiKeys, OrleansApiKeys>();
        services.AddSingleton<MetadataInstances>();
        services.AddSingleton<AwsSessions>();
        return builder;
    }

    public static WebApplication UsePortal(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.Use((context, next) =>
        {
            if ((context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/imds"))
                && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = RequestBody.MaxBytes;
            }

            return next(context);
        });
        app.UseStatusCodePages();
        app.UseAccess();
        app.UseAntiforgery();

        app.MapStaticAssets();
        // Liveness: the process answers. Health: storage and the bus (durable profile) are reachable.
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health", new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapAccountEndpoints();
        app.MapTenantApi();
        app.MapWebhookApi();
        app.MapNoticeApi();
        app.MapOperatorApi();
        app.MapKeyApi();
        app.MapAuditApi();
        app.MapMetadataService();
        app.MapCalendarFeed();
        app.MapApiDocumentation();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
