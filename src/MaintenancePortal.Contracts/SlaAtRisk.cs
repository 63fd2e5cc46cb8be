namespace MaintenancePortal.Contracts;

/// <summary>
/// An instance may not be moved by its deadline: no host has room for it, or it is not done
/// within the safety margin before the deadline. Sent once per instance and maintenance.
/// </summary>
public sealed record SlaAtRisk(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string InstanceId,
    DateTimeOffset Deadline,
    string Why) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
