namespace MaintenancePortal.Contracts;

/// <summary>A move that had not started was called off; the instance stays where it is.</summary>
public sealed record InstanceMoveCancelled(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string Why) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
