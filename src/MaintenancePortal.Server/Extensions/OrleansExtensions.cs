using System.Net;
using MaintenancePortal.Grains;
using Orleans.Serialization;
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
                    // The same binary format as the durable profile: the memory provider's default JSON costs
                    // more CPU than everything else a move does (profiled: 40 % of the server's CPU).
                    .AddMemoryGrainStorage(StorageNames.Maintenance, storage => storage.Configure<Serializer>((options, serializer) =>
                        options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer)))
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
                    // Grain state in Orleans' own binary format (version-tolerant by [Id]); the default
                    // JSON cannot read immutable collections back.
                    .AddAzureTableGrainStorage(StorageNames.Maintenance, storage => storage.Configure<Serializer>((options, serializer) =>
                    {
                        options.TableServiceClient = durable.Tables;
                        options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
                    }))
                    .UseAzureTableReminderService(options => options.TableServiceClient = durable.Tables);
            }

            silo.ConfigureEndpoints(IPAddress.Loopback, siloPort, gatewayPort, listenOnAnyHostAddress: false);
        });
        return builder;
    }
}
