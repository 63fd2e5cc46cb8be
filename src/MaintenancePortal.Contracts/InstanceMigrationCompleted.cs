namespace MaintenancePortal.Contracts;

/// <summary>
/// The instance runs on the destination. The receipt: measured pause, total time, and the ID and
/// IP the destination reports, which equal the ones before the move.
/// </summary>
/// <param name="Method">PreCopy (stop-and-copy of the last pages) or PostCopy (resumed first, pages pulled after).</param>
/// <param name="MaxThrottlePercent">The most vCPU time auto-converge took away (0 when it was not needed).</param>
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
    long BytesTransferred,
    string Method,
    double MaxThrottlePercent) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
