namespace MaintenancePortal.Contracts;

/// <summary>
/// A live attempt stopped; the instance still runs on its source host. The move is planned again:
/// a retry on another host or a reboot-based move follows, announced by its own event.
/// </summary>
/// <param name="Attempt">Which live attempt failed (1 for the first).</param>
public sealed record InstanceMigrationFailed(
    Guid EventId,
    DateTimeOffset OccurredAt,
    string TenantId,
    string MaintenanceId,
    string MoveId,
    string InstanceId,
    string SourceHostId,
    string DestinationHostId,
    int Attempt,
    string Reason) : IMaintenanceLifecycleEvent
{
    public string Subject => InstanceId;
}
