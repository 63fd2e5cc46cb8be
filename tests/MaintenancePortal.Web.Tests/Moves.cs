using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Web.Tests;

/// <summary>Moves in each state, built through the domain's own transitions.</summary>
internal static class Moves
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static InstanceMove Scheduled(string tenant, string instanceId, string name) =>
        InstanceMove.Schedule($"mv-{instanceId}", "mnt-1", new InstanceSpec(instanceId, tenant, name, "m7",
                new Resources(4, 16_384), $"10.1.0.{instanceId.Length}", 80, 2048),
            MaintenanceReason.FirmwareUpdate, "h-src", "h-dst", Now, Now.AddHours(24),
            new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(15), Now.AddHours(20), "Live migration."));

    public static InstanceMove Migrating(string tenant, string instanceId, string name) =>
        Scheduled(tenant, instanceId, name).Start(Now.AddMinutes(15))
            .Report(Now.AddMinutes(16), new MigrationProgress(2, 17_000_000_000, 120_000_000, 80, 90, 97.5));

    public static InstanceMove Completed(string tenant, string instanceId, string name,
        MigrationMethod method = MigrationMethod.PreCopy, double maxThrottlePercent = 0)
    {
        var move = Scheduled(tenant, instanceId, name).Start(Now.AddMinutes(15));
        return move.Complete(Now.AddMinutes(16),
            new MigrationOutcome(method, 42.5, 4, 17_500_000_000, maxThrottlePercent, instanceId, move.Instance.PrivateIp));
    }

    /// <summary>A live move whose first attempt was aborted on h-dst after two rounds, then completed on h-retry.</summary>
    public static InstanceMove Retried(string tenant, string instanceId, string name)
    {
        var failed = Scheduled(tenant, instanceId, name).Start(Now.AddMinutes(15))
            .Report(Now.AddMinutes(16), new MigrationProgress(0, 8L << 30, 4L << 30, 120, 900, 60))
            .Report(Now.AddMinutes(17), new MigrationProgress(1, 11L << 30, 2L << 30, 150, 500, 80, 20))
            .LiveAttemptFailed(Now.AddMinutes(18), "Aborted by an operator.");
        return failed.Replan(Now.AddMinutes(18), new MoveDecision(MoveAction.LiveMigration, Now.AddMinutes(18), Now.AddHours(20), "Live migration, retried on another host."), "h-retry")
            .Start(Now.AddMinutes(18))
            .Report(Now.AddMinutes(19), new MigrationProgress(0, 9L << 30, 3L << 30, 100, 800, 70))
            .Report(Now.AddMinutes(20), new MigrationProgress(1, 12L << 30, 1L << 30, 90, 200, 90, 35))
            .Report(Now.AddMinutes(21), new MigrationProgress(2, 13L << 30, 256L << 20, 80, 40, 98, 50))
            .Complete(Now.AddMinutes(22), new MigrationOutcome(MigrationMethod.PreCopy, 38, 3, 13L << 30, 50, instanceId, failed.Instance.PrivateIp));
    }

    public static InstanceMove Cancelled(string tenant, string instanceId, string name) =>
        Scheduled(tenant, instanceId, name).Cancel(Now.AddMinutes(5), "The maintenance was called off.");
}
