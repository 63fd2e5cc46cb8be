namespace MaintenancePortal.Contracts;

/// <summary>The live migration began copying memory; the instance keeps running.</summary>
public sealed record InstanceMigrationStarted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string SourceHostId,
    string DestinationHostId) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
