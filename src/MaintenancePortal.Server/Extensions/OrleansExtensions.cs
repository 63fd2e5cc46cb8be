using System.Net;
using MaintenancePortal.Grains;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Server.Portal;
using Orleans.Storage;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// The Orleans silo co-hosted in this process: localhost clustering and memory storage in the
/// embedded profile; clustering, grain state and reminders on Azure Storage tables in the durable one.
/// </summary>
public static class OrleansExtensions
{
    public const string SiloPortSetting = "Orleans:SiloPort";
    public const string GatewayPortSetting = "Orleans:GatewayPort";

    public static WebApplicationBuilder AddOrleansSilo(this WebApplicationBuilder builder, DurableSettings? durable)
    {
        var siloPort = builder.Configuration.GetValue(SiloPortSetting, 11111);
        // The embedded silo has no clients outside its process: it opens no gateway.
        var gatewayPort = durable is null ? 0 : builder.Configuration.GetValue(GatewayPortSetting, 30000);
        ListenAddresses.EnsureFree(siloPort, SiloPortSetting);
        if (gatewayPort != 0)
        {
            ListenAddresses.EnsureFree(gatewayPort, GatewayPortSetting);
        }

        builder.UseOrleans(silo =>
        {
            if (durable is null)
            {
                // A cluster of its own: even a silo of another embedded server reached by mistake refuses to join it.
                silo.UseLocalhostClustering(siloPort, gatewayPort, serviceId: "maintenance-portal", clusterId: $"embedded-{Environment.ProcessId}")
                    .AddMemoryGrainStorage(StorageNames.Maintenance)
                    .UseInMemoryReminderService();
                silo.Services.AddSingleton<IMoveIndexStore, MemoryMoveIndexStore>();
            }
            else
            {
                silo.Configure<Orleans.Configuration.ClusterOptions>(cluster =>
                    {
                        cluster.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "maintenance-portal";
                        cluster.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "maintenance-portal";
                    })
                    // A joining silo waits to reach every silo the table calls Active, unless that silo's
                    // "I am alive" is older than twice this period. After a hard stop (kill -9, power
                    // loss) rows stay Active: with Orleans' 5 minutes a restarted silo could stall in
                    // Joining for 10; with 20 s, 40 s at most.
                    .Configure<Orleans.Configuration.ClusterMembershipOptions>(membership =>
                    {
                        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(20);
                        membership.NumMissedTableIAmAliveLimit = 2;
                    })
                    // Failure detection (probe timeouts, votes to declare a silo dead) from "Orleans:Membership";
                    // a two-silo cluster needs NumVotesForDeathDeclaration = 1, as one survivor is all there is.
                    .Configure<Orleans.Configuration.ClusterMembershipOptions>(builder.Configuration.GetSection("Orleans:Membership"))
                    .UseAzureStorageClustering(options => options.TableServiceClient = durable.Tables)
                    .AddAzureTableGrainStorage(StorageNames.Maintenance, options => options.TableServiceClient = durable.Tables)
                    .UseAzureTableReminderService(options => options.TableServiceClient = durable.Tables);
                silo.Services.AddSingleton<IMoveIndexStore>(new TableMoveIndexStore(durable.Tables));
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
