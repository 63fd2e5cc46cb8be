using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Hypervisors;
using MaintenancePortal.Hypervisors.Simulated;
using MaintenancePortal.Server.Fleet;
using MaintenancePortal.Web.Services;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Extensions;

/// <summary>The composition root: one call per area, in the order they depend on each other.</summary>
public static class HostingExtensions
{
    public static WebApplicationBuilder AddMaintenancePortal(this WebApplicationBuilder builder)
    {
        var portal = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();
        if (!string.Equals(portal.Profile, PortalOptions.EmbeddedProfile, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException(
                $"MaintenancePortal:Profile is '{portal.Profile}', but this build runs only the '{PortalOptions.EmbeddedProfile}' profile.");
        }

        var services = builder.Services;
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(new PortalProfile(PortalOptions.EmbeddedProfile, Ephemeral: true));
        services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName);
        services.AddOptions<MigrationPolicy>().BindConfiguration(MigrationPolicy.SectionName);
        services.AddOptions<DemoFleetOptions>().BindConfiguration(DemoFleetOptions.SectionName);
        services.AddOptions<SimulatedHypervisorOptions>().BindConfiguration(SimulatedHypervisorOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimulatedHypervisorOptions>>().Value);
        services.AddSingleton<IHypervisorDriver, SimulatedHypervisorDriver>();

        builder.AddMessaging();
        builder.AddOrleansSilo();
        builder.AddPortal();
        builder.Services.AddHostedService<DemoFleetSeeder>();
        return builder;
    }

    public static WebApplication UseMaintenancePortal(this WebApplication app)
    {
        app.UsePortal();
        return app;
    }
}
