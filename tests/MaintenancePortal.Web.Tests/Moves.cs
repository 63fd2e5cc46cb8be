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
}
