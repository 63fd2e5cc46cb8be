using System.Net;
using MaintenancePortal.Grains;

namespace MaintenancePortal.Server.Extensions;

/// <summary>The Orleans silo co-hosted in this process.</summary>
public static class OrleansExtensions
{
    public static WebApplicationBuilder AddOrleansSilo(this WebApplicationBuilder builder)
    {
        var siloPort = builder.Configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 30000);
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false)
            .AddMemoryGrainStorage(StorageNames.Maintenance)
            .UseInMemoryReminderService());
        return builder;
    }
}
