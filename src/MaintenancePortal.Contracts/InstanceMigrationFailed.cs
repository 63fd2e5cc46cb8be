namespace MaintenancePortal.Contracts;

/// <summary>The move stopped; the instance still runs on its source host.</summary>
public sealed record InstanceMigrationFailed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string SourceHostId,
    string Reason) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
