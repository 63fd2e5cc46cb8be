namespace MaintenancePortal.Contracts;

/// <summary>A live migration of an instance was planned and announced; it starts no earlier than <paramref name="NotBefore"/>.</summary>
/// <param name="LatestStart">The latest it may start and still leave room to fall back to a reboot before the deadline.</param>
public sealed record InstanceMigrationScheduled(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string PrivateIp,
    string Reason,
    string SourceHostId,
    string DestinationHostId,
    DateTimeOffset NotBefore,
    DateTimeOffset LatestStart,
    DateTimeOffset Deadline) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
