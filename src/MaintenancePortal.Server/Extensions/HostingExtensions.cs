using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Hypervisors;
using MaintenancePortal.Hypervisors.Simulated;
using MaintenancePortal.Server.Access;
using MaintenancePortal.Server.Fleet;
using MaintenancePortal.Server.Health;
using MaintenancePortal.Web.Services;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Extensions;

/// <summary>The composition root: one call per area, in the order they depend on each other.</summary>
public static class HostingExtensions
{
    /// <summary>Registers every area; in the durable profile, first checks that storage and the broker can be reached.</summary>
    public static async Task<WebApplicationBuilder> AddMaintenancePortalAsync(this WebApplicationBuilder builder)
    {
        var portal = builder.Configuration.GetSection(PortalOptions.SectionName).Get<PortalOptions>() ?? new PortalOptions();
        DurableSettings? durable = null;
        SignInSettings signIn;
        if (portal.IsDurable)
        {
            // Every setting is checked before anything is waited for.
            durable = DurableSettings.Read(builder.Configuration);
            signIn = SignInSettings.Read(builder.Configuration, durable: true);
            await durable.EnsureReachableAsync(portal.WaitForServices);
        }
        else if (!string.Equals(portal.Profile, PortalOptions.EmbeddedProfile, StringComparison.OrdinalIgnoreCase))
        {
            throw new PortalConfigurationException(
                $"MaintenancePortal:Profile is '{portal.Profile}'; it must be {PortalOptions.EmbeddedProfile} or {PortalOptions.DurableProfile}.");
        }
        else
        {
            signIn = SignInSettings.Read(builder.Configuration, durable: false);
        }

        ListenAddresses.EnsureUrlsFree(builder.Configuration);
        var services = builder.Services;
        // A stopping silo hands its grains over; it must not hang a restart.
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(15));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(durable is null
            ? new PortalProfile(PortalOptions.EmbeddedProfile, Ephemeral: true)
            : new PortalProfile(PortalOptions.DurableProfile, Ephemeral: false));
        services.AddOptions<MaintenanceOptions>().BindConfiguration(MaintenanceOptions.SectionName);
        services.AddOptions<MigrationPolicy>().BindConfiguration(MigrationPolicy.SectionName);
        services.AddOptions<DemoFleetOptions>().BindConfiguration(DemoFleetOptions.SectionName);
        services.AddOptions<SimulatedHypervisorOptions>().BindConfiguration(SimulatedHypervisorOptions.SectionName);
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<SimulatedHypervisorOptions>>().Value);
        services.AddSingleton<IHypervisorDriver, SimulatedHypervisorDriver>();

        if (durable is not null)
        {
            services.AddSingleton(durable);
            services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        }

        builder.AddMessaging(durable);
        builder.AddWebhooks(durable is not null);
        builder.AddNotices();
        builder.AddOrleansSilo(durable);
        builder.AddAccess(signIn, durable);
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
