namespace MaintenancePortal.Contracts;

/// <summary>A live migration advanced: published at each new pre-copy round and every ten points of progress within one.</summary>
/// <param name="ExpectedDowntimeMs">The pause if the instance were stopped now.</param>
/// <param name="ThrottlePercent">vCPU time auto-converge takes away to slow the writes (0 unless escalated).</param>
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
    double PercentComplete,
    double ThrottlePercent) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
