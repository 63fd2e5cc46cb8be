namespace MaintenancePortal.Contracts;

/// <summary>Every instance has left the host; it is empty and out of service for the hardware work.</summary>
public sealed record HostDrained(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string HostId,
    int InstancesMoved) : IMaintenanceLifecycleEvent
{
    public string Subject => HostId;
}
