namespace MaintenancePortal.Contracts;

/// <summary>
/// The instance runs on the destination. The receipt: measured pause, total time, and the ID and
/// IP the destination reports, which equal the ones before the move.
/// </summary>
public sealed record InstanceMigrationCompleted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string PrivateIp,
    string SourceHostId,
    string DestinationHostId,
    double DowntimeMs,
    TimeSpan TotalTime,
    int Rounds,
    long BytesTransferred) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
