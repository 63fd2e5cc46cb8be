using Azure;
using Azure.Data.Tables;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Tenants;

namespace MaintenancePortal.Server.Portal;

/// <summary>
/// The durable profile's move rows: the Azure table <c>moves</c>, partition = tenant, row = move id,
/// one column per field of <see cref="MoveSummary"/>. Written in batches of one partition (up to 100
/// rows a transaction), read whole when a tenant's moves grain activates.
/// </summary>
public sealed class TableMoveIndexStore(TableServiceClient tables) : IMoveIndexStore
{
    public const string TableName = "moves";
    private const int BatchSize = 100;
    private readonly TableClient _table = tables.GetTableClient(TableName);
    private volatile bool _created;

    public async Task<IReadOnlyList<MoveSummary>> LoadAsync(string tenantId, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var moves = new List<MoveSummary>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {tenantId}"),
                           cancellationToken: cancellationToken))
        {
            moves.Add(Read(row));
        }

        return moves;
    }

    public async Task SaveAsync(string tenantId, IReadOnlyList<MoveSummary> moves, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        foreach (var batch in moves.Chunk(BatchSize))
        {
            if (batch.Length == 1)
            {
                await _table.UpsertEntityAsync(Write(tenantId, batch[0]), TableUpdateMode.Replace, cancellationToken);
            }
            else
            {
                await _table.SubmitTransactionAsync(
                    batch.Select(m => new TableTransactionAction(TableTransactionActionType.UpsertReplace, Write(tenantId, m))), cancellationToken);
            }
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
    }

    private static TableEntity Write(string tenantId, MoveSummary m) => new(tenantId, m.MoveId)
    {
        ["MaintenanceId"] = m.MaintenanceId,
        ["InstanceId"] = m.InstanceId,
        ["InstanceName"] = m.InstanceName,
        ["PrivateIp"] = m.PrivateIp,
        ["Reason"] = m.Reason.ToString(),
        ["Action"] = m.Action.ToString(),
        ["State"] = m.State.ToString(),
        ["SourceHostId"] = m.SourceHostId,
        ["DestinationHostId"] = m.DestinationHostId,
        ["ScheduledAt"] = m.ScheduledAt,
        ["NotBefore"] = m.NotBefore,
        ["LatestStart"] = m.LatestStart,
        ["Deadline"] = m.Deadline,
        ["StartedAt"] = m.StartedAt,
        ["FinishedAt"] = m.FinishedAt,
        ["FailedLiveAttempts"] = m.FailedLiveAttempts,
        ["NeedsReplan"] = m.NeedsReplan,
        ["Why"] = m.Why,
        ["PercentComplete"] = m.PercentComplete,
        ["DowntimeMs"] = m.DowntimeMs,
        ["Sequence"] = m.Sequence,
        ["Version"] = m.Version,
        ["PredictedPauseMs"] = m.PredictedPause?.TotalMilliseconds,
        ["PredictedDurationMs"] = m.PredictedDuration?.TotalMilliseconds,
        ["NoticePeriodMs"] = m.Notice?.Period.TotalMilliseconds,
        ["NoticeGivenAt"] = m.Notice?.GivenAt,
        ["NoticeChannel"] = m.Notice?.Channel?.ToString(),
        ["NoticeTo"] = m.Notice?.To,
    };

    private static MoveSummary Read(TableEntity e) => new(
        e.RowKey, e.GetString("MaintenanceId"), e.PartitionKey, e.GetString("InstanceId"), e.GetString("InstanceName"),
        e.GetString("PrivateIp"), Enum.Parse<MaintenanceReason>(e.GetString("Reason")), Enum.Parse<MoveAction>(e.GetString("Action")),
        Enum.Parse<MoveState>(e.GetString("State")), e.GetString("SourceHostId"), e.GetString("DestinationHostId"),
        Time(e, "ScheduledAt"), Time(e, "NotBefore"), Time(e, "LatestStart"), Time(e, "Deadline"), e.GetDateTimeOffset("StartedAt"),
        e.GetDateTimeOffset("FinishedAt"), e.GetInt32("FailedLiveAttempts") ?? 0, e.GetBoolean("NeedsReplan") ?? false, e.GetString("Why"),
        e.GetDouble("PercentComplete"), e.GetDouble("DowntimeMs"), e.GetInt32("Sequence") ?? 0, e.GetInt32("Version") ?? 0,
        Milliseconds(e, "PredictedPauseMs"), Milliseconds(e, "PredictedDurationMs"),
        Milliseconds(e, "NoticePeriodMs") is { } period
            ? new MoveNotice(period, e.GetDateTimeOffset("NoticeGivenAt"),
                e.GetString("NoticeChannel") is { } channel ? Enum.Parse<NoticeChannel>(channel) : null, e.GetString("NoticeTo"))
            : null);

    private static TimeSpan? Milliseconds(TableEntity e, string column) => e.GetDouble(column) is { } ms ? TimeSpan.FromMilliseconds(ms) : null;

    /// <summary>A time column the row must have.</summary>
    private static DateTimeOffset Time(TableEntity e, string column) =>
        e.GetDateTimeOffset(column) ?? throw new RequestFailedException($"Row {e.RowKey} has no {column}.");
}
