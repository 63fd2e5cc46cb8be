namespace MaintenancePortal.Contracts;

/// <summary>A move of an instance was planned and announced; it starts no earlier than <paramref name="NotBefore"/>.</summary>
/// <param name="Action">LiveMigration or RebootMove.</param>
public sealed record InstanceMigrationScheduled(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string PrivateIp,
    string Action,
    string Reason,
    string SourceHostId,
    string DestinationHostId,
    DateTimeOffset NotBefore,
    DateTimeOffset Deadline) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
