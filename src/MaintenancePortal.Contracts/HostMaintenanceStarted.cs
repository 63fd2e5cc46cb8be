namespace MaintenancePortal.Contracts;

/// <summary>An operator started maintenance on a host; its instances will be moved by <paramref name="Deadline"/>.</summary>
/// <param name="Reason">Why, e.g. FirmwareUpdate, HardwareReplacement, DegradedHardware, Rebalance, PowerConsolidation.</param>
public sealed record HostMaintenanceStarted(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string HostId,
    string Reason,
    DateTimeOffset Deadline,
    int InstanceCount) : IMaintenanceLifecycleEvent
{
    public string Subject => HostId;
}
