using Azure.Data.Tables;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace MaintenancePortal.OwedWork;

/// <summary>
/// Reads the maintenance grains' stored state from the grain state table a cluster writes
/// (<c>OrleansGrainState</c>): one row per grain and state, partition key
/// <c>{serviceId}_{grain type}_{key}</c>, row key the state's name, the state in Orleans' binary
/// format in <c>Data</c> (and <c>Data1</c>, <c>Data2</c>… when it is large). Reads only; the cluster may run.
/// </summary>
public sealed class StoredClusterReader(TableServiceClient tables, string serviceId)
{
    public const string GrainStateTable = "OrleansGrainState";

    private readonly Serializer _serializer = new ServiceCollection()
        .AddSerializer(serializer => serializer.AddAssembly(typeof(InstanceGrain).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public async Task<StoredCluster> ReadAsync(CancellationToken cancellationToken = default)
    {
        var maintenance = new Dictionary<string, MaintenanceEventGrain.MaintenanceRecord>();
        var instances = new Dictionary<string, InstanceGrain.InstanceRecord>();
        var hosts = new Dictionary<string, DedicatedHostGrain.HostRecord>();
        var slots = MigrationSlots.Empty;
        var fleet = new FleetGrain.FleetRecord();
        var prefix = serviceId + "_";
        var rows = tables.GetTableClient(GrainStateTable).QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey ge {prefix} and PartitionKey lt {serviceId + "`"}"),
            cancellationToken: cancellationToken);
        await foreach (var row in rows)
        {
            var grain = row.PartitionKey[prefix.Length..];
            var separator = grain.IndexOf('_', StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var (type, key) = (grain[..separator], grain[(separator + 1)..]);
            switch (type, row.RowKey)
            {
                case ("maintenanceevent", "maintenance"):
                    maintenance[key] = Read<MaintenanceEventGrain.MaintenanceRecord>(row);
                    break;
                case ("instance", "instance"):
                    instances[key] = Read<InstanceGrain.InstanceRecord>(row);
                    break;
                case ("dedicatedhost", "host"):
                    hosts[key] = Read<DedicatedHostGrain.HostRecord>(row);
                    break;
                case ("migrationslots", "slots"):
                    slots = Read<MigrationSlotsGrain.SlotsRecord>(row).Slots;
                    break;
                case ("fleet", "fleet"):
                    fleet = Read<FleetGrain.FleetRecord>(row);
                    break;
            }
        }

        return new StoredCluster(maintenance, instances, hosts, slots, fleet);
    }

    private T Read<T>(TableEntity row)
    {
        var chunks = Enumerable.Range(0, 16).Select(i => row.GetBinary(i == 0 ? "Data" : $"Data{i}")).TakeWhile(c => c is not null);
        return _serializer.Deserialize<T>(chunks.SelectMany(c => c!).ToArray())
               ?? throw new InvalidDataException($"{row.PartitionKey}/{row.RowKey} holds no state.");
    }
}
