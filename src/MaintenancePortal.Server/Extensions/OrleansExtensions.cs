using System.Net;
using MaintenancePortal.Grains;
using Orleans.Storage;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// The Orleans silo co-hosted in this process: localhost clustering and memory storage in the
/// embedded profile; clustering, grain state and reminders on Azure Storage tables in the durable one.
/// </summary>
public static class OrleansExtensions
{
    public static WebApplicationBuilder AddOrleansSilo(this WebApplicationBuilder builder, DurableSettings? durable)
    {
        var siloPort = builder.Configuration.GetValue("Orleans:SiloPort", 11111);
        var gatewayPort = builder.Configuration.GetValue("Orleans:GatewayPort", 30000);
        builder.UseOrleans(silo =>
        {
            if (durable is null)
            {
                silo.UseLocalhostClustering(siloPort, gatewayPort)
                    .AddMemoryGrainStorage(StorageNames.Maintenance)
                    .UseInMemoryReminderService();
            }
            else
            {
                silo.Configure<Orleans.Configuration.ClusterOptions>(cluster =>
                    {
                        cluster.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "maintenance-portal";
                        cluster.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "maintenance-portal";
                    })
                    // Failure detection (probe timeouts, votes to declare a silo dead) from "Orleans:Membership";
                    // a two-silo cluster needs NumVotesForDeathDeclaration = 1, as one survivor is all there is.
                    .Configure<Orleans.Configuration.ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"))
                    .UseAzureStorageClustering(options => options.TableServiceClient = durable.Tables)
                    .AddAzureTableGrainStorage(StorageNames.Maintenance, options => options.TableServiceClient = durable.Tables)
                    .UseAzureTableReminderService(options => options.TableServiceClient = durable.Tables);
            }

            // Grain state in Orleans' own binary format (version-tolerant by [Id]) for every storage
            // provider: the default JSON cannot read immutable collections back, and in memory it cost
            // more CPU than everything else a move does (profiled: 40 % of the server's CPU).
            silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        });
        return builder;
    }
}
