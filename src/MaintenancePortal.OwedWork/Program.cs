using Azure.Data.Tables;
using Azure.Identity;
using MaintenancePortal.Grains.Outbox;
using MaintenancePortal.OwedWork;
using Microsoft.Extensions.Configuration;

// The same settings as the server: ConnectionStrings:Storage or Storage:TableServiceUri (managed
// identity), and Orleans:ServiceId; from the environment (ConnectionStrings__Storage, …) or the command line.
var configuration = new ConfigurationBuilder()
    .AddEnvironmentVariables()
    .AddCommandLine(args, new Dictionary<string, string>
    {
        ["--storage"] = "ConnectionStrings:Storage",
        ["--table-service-uri"] = "Storage:TableServiceUri",
        ["--service-id"] = "Orleans:ServiceId",
    })
    .Build();
var serviceId = configuration["Orleans:ServiceId"] ?? "maintenance-portal";
TableServiceClient tables;
try
{
    tables = (configuration["ConnectionStrings:Storage"], configuration["Storage:TableServiceUri"]) switch
    {
        ({ Length: > 0 } connection, _) => new TableServiceClient(connection),
        (_, { Length: > 0 } uri) => new TableServiceClient(new Uri(uri), new DefaultAzureCredential()),
        _ => throw new ArgumentException(
            "Give the cluster's storage: --storage <connection string> (UseDevelopmentStorage=true for Azurite) "
            + "or --table-service-uri <https://account.table.core.windows.net/>, and --service-id <Orleans:ServiceId>."),
    };
}
catch (Exception ex) when (ex is ArgumentException or FormatException or UriFormatException)
{
    await Console.Error.WriteLineAsync($"owed-work: {ex.Message}");
    return 2;
}

StoredCluster cluster;
try
{
    cluster = await new StoredClusterReader(tables, serviceId).ReadAsync();
}
catch (Azure.RequestFailedException ex)
{
    await Console.Error.WriteLineAsync($"owed-work: cannot read {StoredClusterReader.GrainStateTable} at {tables.Uri}: {ex.Message}");
    return 2;
}

var owed = OwedWorkCheck.Find(cluster);
Console.WriteLine($"Service {serviceId}: {cluster.Maintenance.Count} maintenance events, {cluster.Instances.Count} instances, "
                  + $"{cluster.Hosts.Count} hosts, {cluster.Slots.Held.Count} migration slots held.");
foreach (var item in owed)
{
    Console.WriteLine(item);
}

Console.WriteLine(owed.Count == 0 ? "Nothing is owed." : $"{owed.Count} owed.");
return owed.Count == 0 ? 0 : 1;
