namespace MaintenancePortal.Contracts;

/// <summary>The instance was stopped on its source and runs on the destination with the same ID and IP.</summary>
/// <param name="StoppedMs">How long the instance was stopped.</param>
public sealed record InstanceRebootCompleted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string PrivateIp,
    string SourceHostId,
    string DestinationHostId,
    double StoppedMs) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
