namespace MaintenancePortal.Contracts;

/// <summary>
/// The instance will be moved by a reboot (stopped on its host and started on another, keeping its
/// ID and IP) no earlier than <paramref name="NotBefore"/>, because a live migration cannot finish
/// in time, failed, or was not wanted. <paramref name="Why"/> says which.
/// </summary>
public sealed record InstanceRebootScheduled(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string PrivateIp,
    string Reason,
    string SourceHostId,
    string DestinationHostId,
    DateTimeOffset NotBefore,
    DateTimeOffset Deadline,
    string Why) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
