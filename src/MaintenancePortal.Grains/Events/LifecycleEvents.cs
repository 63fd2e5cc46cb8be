using MaintenancePortal.Contracts;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Grains.Events;

/// <summary>Turns domain transitions into the lifecycle events of the contracts, each with a new stable id.</summary>
public static class LifecycleEvents
{
    public static HostMaintenanceStarted Started(MaintenanceEvent maintenance, int instanceCount) =>
        new(Guid.NewGuid(), maintenance.TriggeredAt, maintenance.TenantId, maintenance.MaintenanceId,
            maintenance.HostId, maintenance.Reason.ToString(), maintenance.Deadline, instanceCount);

    public static HostDrained Drained(MaintenanceEvent maintenance, DateTimeOffset now) =>
        new(Guid.NewGuid(), now, maintenance.TenantId, maintenance.MaintenanceId, maintenance.HostId,
            maintenance.CompletedMoves);

    public static InstanceMigrationScheduled Scheduled(InstanceMove move) =>
        new(Guid.NewGuid(), move.ScheduledAt, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId,
            move.Instance.PrivateIp, move.Action.ToString(), move.Reason.ToString(), move.SourceHostId,
            move.DestinationHostId, move.NotBefore, move.Deadline);

    public static InstanceMigrationStarted MigrationStarted(InstanceMove move) =>
        new(Guid.NewGuid(), move.StartedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId,
            move.SourceHostId, move.DestinationHostId);

    public static InstanceMigrationProgressed Progressed(InstanceMove move, DateTimeOffset now)
    {
        var p = move.Progress!;
        return new(Guid.NewGuid(), now, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId, p.Round,
            p.BytesSent, p.RemainingBytes, p.DirtyRateMiBps, p.ExpectedDowntimeMs, p.PercentComplete, p.ThrottlePercent);
    }

    public static InstanceMigrationCompleted Completed(InstanceMove move)
    {
        var r = move.Receipt!;
        return new(Guid.NewGuid(), move.FinishedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId,
            r.InstanceIdAfter, r.PrivateIpAfter, move.SourceHostId, move.DestinationHostId, r.DowntimeMs, r.TotalTime,
            r.Rounds, r.BytesTransferred, r.Method.ToString(), r.MaxThrottlePercent);
    }

    public static InstanceMigrationFailed Failed(InstanceMove move) =>
        new(Guid.NewGuid(), move.FinishedAt!.Value, move.TenantId, move.MaintenanceId, move.MoveId, move.InstanceId,
            move.SourceHostId, move.FailureReason ?? "unknown");
}
