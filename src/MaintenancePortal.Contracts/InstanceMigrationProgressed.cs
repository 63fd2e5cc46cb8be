namespace MaintenancePortal.Contracts;

/// <summary>A live migration advanced: published at each new pre-copy round and every ten points of progress within one.</summary>
/// <param name="ExpectedDowntimeMs">The pause if the instance were stopped now.</param>
public sealed record InstanceMigrationProgressed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    int Round,
    long BytesSent,
    long RemainingBytes,
    double DirtyRateMiBps,
    double ExpectedDowntimeMs,
    double PercentComplete) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
