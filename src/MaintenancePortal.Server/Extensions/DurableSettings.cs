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

    /// <summary>
    /// Waits, up to <paramref name="patience"/>, until storage and the broker answer: after a
    /// power loss they may come back after the servers. Then fails, naming the setting.
    /// </summary>
    public async Task EnsureReachableAsync(TimeSpan patience, CancellationToken cancellationToken = default)
    {
        var giveUpAt = DateTimeOffset.UtcNow + patience;
        await WaitForAsync(StorageSetting, $"the table service at {Tables.Uri}", async timeout => await Tables.GetPropertiesAsync(timeout),
            giveUpAt, cancellationToken);
        await WaitForAsync(RabbitMqSetting, $"the broker at {RabbitMq.Host}:{RabbitMqPort}", async timeout =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(RabbitMq.Host, RabbitMqPort, timeout);
        }, giveUpAt, cancellationToken);
    }

    private static async Task WaitForAsync(string setting, string what, Func<CancellationToken, Task> reach, DateTimeOffset giveUpAt,
        CancellationToken cancellationToken)
    {
        for (var said = false; ; said = true)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ReachTimeout);
                await reach(timeout.Token);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not PortalConfigurationException)
            {
                if (DateTimeOffset.UtcNow >= giveUpAt)
                {
                    throw new PortalConfigurationException($"{setting}: cannot reach {what}: {ex.Message}");
                }

                if (!said)
                {
                    await Console.Error.WriteLineAsync($"MaintenancePortal: waiting for {what} ({setting}): {ex.Message}");
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private int RabbitMqPort => RabbitMq.Port > 0 ? RabbitMq.Port : RabbitMq.Scheme == "amqps" ? 5671 : 5672;
}
