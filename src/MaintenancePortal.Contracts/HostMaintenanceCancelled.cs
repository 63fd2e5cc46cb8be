namespace MaintenancePortal.Contracts;

/// <summary>An operator called a host's maintenance off; moves not yet started were cancelled and the host takes instances again.</summary>
public sealed record HostMaintenanceCancelled(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string HostId,
    int MovesCancelled) : IMaintenanceLifecycleEvent
{
    public string Subject => HostId;
}
