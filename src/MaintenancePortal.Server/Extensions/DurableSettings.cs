using System.Net.Sockets;
using Azure.Data.Tables;
using Azure.Identity;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// The durable profile's connections, read once and checked before anything starts: storage by
/// connection string (<c>ConnectionStrings:Storage</c>, e.g. Azurite's <c>UseDevelopmentStorage=true</c>) or
/// by service URI with a managed identity (<c>Storage:TableServiceUri</c>, no keys), and RabbitMQ
/// (<c>ConnectionStrings:RabbitMq</c>, an amqp:// URI).
/// </summary>
public sealed record DurableSettings(TableServiceClient Tables, string StorageSetting, Uri RabbitMq)
{
    public const string StorageConnectionSetting = "ConnectionStrings:Storage";
    public const string StorageUriSetting = "Storage:TableServiceUri";
    public const string RabbitMqSetting = "ConnectionStrings:RabbitMq";

    private static readonly TimeSpan ReachTimeout = TimeSpan.FromSeconds(10);

    public static DurableSettings Read(IConfiguration configuration)
    {
        var connection = configuration[StorageConnectionSetting];
        var uri = configuration[StorageUriSetting];
        TableServiceClient tables;
        string storageSetting;
        var noRetries = new TableClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = ReachTimeout } };
        try
        {
            (tables, storageSetting) = (connection, uri) switch
            {
                ({ Length: > 0 }, _) => (new TableServiceClient(connection, noRetries), StorageConnectionSetting),
                (_, { Length: > 0 }) => (new TableServiceClient(new Uri(uri), new DefaultAzureCredential(), noRetries), StorageUriSetting),
                _ => throw new PortalConfigurationException(
                    $"The durable profile needs storage: set {StorageConnectionSetting} (e.g. UseDevelopmentStorage=true for Azurite) "
                    + $"or {StorageUriSetting} (with a managed identity)."),
            };
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or UriFormatException)
        {
            throw new PortalConfigurationException($"{(connection is { Length: > 0 } ? StorageConnectionSetting : StorageUriSetting)} is not valid: {ex.Message}");
        }

        var rabbit = configuration[RabbitMqSetting];
        if (rabbit is not { Length: > 0 } || !Uri.TryCreate(rabbit, UriKind.Absolute, out var rabbitUri)
            || rabbitUri.Scheme is not ("amqp" or "amqps"))
        {
            throw new PortalConfigurationException(
                $"The durable profile needs RabbitMQ: set {RabbitMqSetting} to an amqp:// URI, e.g. amqp://guest:guest@127.0.0.1:5672/.");
        }

        return new DurableSettings(tables, storageSetting, rabbitUri);
    }

    /// <summary>Fails fast, naming the setting, when storage or the broker cannot be reached.</summary>
    public async Task EnsureReachableAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReachTimeout);
            await Tables.GetPropertiesAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new PortalConfigurationException($"{StorageSetting}: cannot reach the table service at {Tables.Uri}: {ex.Message}");
        }

        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ReachTimeout);
            await client.ConnectAsync(RabbitMq.Host, RabbitMqPort, timeout.Token);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new PortalConfigurationException($"{RabbitMqSetting}: cannot reach the broker at {RabbitMq.Host}:{RabbitMqPort}: {ex.Message}");
        }
    }

    private int RabbitMqPort => RabbitMq.Port > 0 ? RabbitMq.Port : RabbitMq.Scheme == "amqps" ? 5671 : 5672;
}
