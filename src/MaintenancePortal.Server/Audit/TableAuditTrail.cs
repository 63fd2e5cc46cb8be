using System.Globalization;
using Azure.Data.Tables;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Audit;

/// <summary>
/// The durable profile's audit trail: the Azure table <c>audit</c>, one row per entry, added and
/// never updated. Partition: the day, counted back (newer days first); row: the entry id (newer
/// first within the day). So one query with the filters answers newest first across days.
/// </summary>
public sealed class TableAuditTrail(TableServiceClient tables) : IAuditTrail
{
    public const string TableName = "audit";
    private readonly TableClient _table = tables.GetTableClient(TableName);
    private volatile bool _created;

    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync(cancellationToken);
        entry = entry.Bounded();
        await _table.AddEntityAsync(new TableEntity(Partition(entry.At), entry.EntryId)
        {
            ["At"] = entry.At,
            ["ActorKind"] = entry.Actor.Kind.ToString(),
            ["ActorId"] = entry.Actor.Id,
            ["ActorName"] = entry.Actor.Name,
            ["ActorTenantId"] = entry.Actor.TenantId,
            ["TenantId"] = entry.TenantId,
            ["Action"] = entry.Action,
            ["Target"] = entry.Target,
            ["Outcome"] = entry.Outcome.ToString(),
            ["Detail"] = entry.Detail,
            ["Source"] = entry.Source,
        }, cancellationToken);
    }

    public async Task<AuditPage> QueryAsync(AuditQuery query, string? cursor, CancellationToken cancellationToken = default)
    {
        query = query.Checked();
        cursor = AuditQuery.CheckedCursor(cursor);
        await EnsureTableAsync(cancellationToken);
        var to = query.To ?? DateTimeOffset.MaxValue.AddDays(-1);
        var from = query.From ?? (query.To ?? DateTimeOffset.UtcNow) - AuditQuery.DefaultReach;
        var filters = new List<string>
        {
            TableClient.CreateQueryFilter($"PartitionKey ge {Partition(to)} and PartitionKey le {Partition(from)}"),
        };
        if (cursor is not null)
        {
            filters.Add(TableClient.CreateQueryFilter($"RowKey gt {cursor}"));
        }

        if (query.From is { } fromTime)
        {
            filters.Add(TableClient.CreateQueryFilter($"At ge {fromTime}"));
        }

        if (query.To is { } toTime)
        {
            filters.Add(TableClient.CreateQueryFilter($"At le {toTime}"));
        }

        if (query.TenantId is { } tenant)
        {
            filters.Add(TableClient.CreateQueryFilter($"TenantId eq {tenant}"));
        }

        if (query.ActorId is { } actor)
        {
            filters.Add(TableClient.CreateQueryFilter($"ActorId eq {actor}"));
        }

        if (query.Action is { } action)
        {
            // A prefix ending in '.' is every action under it: from "webhook." up to "webhook/", the next character.
            filters.Add(action.EndsWith('.')
                ? TableClient.CreateQueryFilter($"Action ge {action} and Action lt {action[..^1] + "/"}")
                : TableClient.CreateQueryFilter($"Action eq {action}"));
        }

        var entries = new List<AuditEntry>(query.Limit + 1);
        await foreach (var row in _table.QueryAsync<TableEntity>(string.Join(" and ", filters), maxPerPage: query.Limit + 1,
                           cancellationToken: cancellationToken))
        {
            entries.Add(Entry(row));
            if (entries.Count > query.Limit)
            {
                break;
            }
        }

        return AuditPages.Of(entries, query.Limit);
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (!_created)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            _created = true;
        }
    }

    /// <summary>The day, counted back from 9999-12-31, so newer days sort first.</summary>
    private static string Partition(DateTimeOffset at) =>
        (99_991_231 - int.Parse(at.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture))
        .ToString("D8", CultureInfo.InvariantCulture);

    private static AuditEntry Entry(TableEntity row) => new(
        row.RowKey,
        row.GetDateTimeOffset("At") ?? default,
        new AuditActor(Enum.Parse<ActorKind>(row.GetString("ActorKind")), row.GetString("ActorId"), row.GetString("ActorName") ?? "",
            row.GetString("ActorTenantId")),
        row.GetString("TenantId"),
        row.GetString("Action"),
        row.GetString("Target"),
        Enum.Parse<AuditOutcome>(row.GetString("Outcome")),
        row.GetString("Detail"),
        row.GetString("Source"));
}
