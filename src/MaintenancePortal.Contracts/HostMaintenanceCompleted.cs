namespace MaintenancePortal.Contracts;

/// <summary>The work on a drained host is done and it is back in service.</summary>
public sealed record HostMaintenanceCompleted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string HostId) : IMaintenanceLifecycleEvent
{
    public string Subject => HostId;
}
