namespace MaintenancePortal.Contracts;

/// <summary>Reverse-DNS type names of the lifecycle events (the CloudEvents <c>type</c> attribute).</summary>
public static class LifecycleEventTypes
{
    public const string Prefix = "com.maintenanceportal.";

    private static readonly Dictionary<Type, string> Names = new()
    {
        [typeof(HostMaintenanceStarted)] = Prefix + "host.maintenance.started",
        [typeof(InstanceMigrationScheduled)] = Prefix + "instance.migration.scheduled",
        [typeof(InstanceMigrationStarted)] = Prefix + "instance.migration.started",
        [typeof(InstanceMigrationProgressed)] = Prefix + "instance.migration.progressed",
        [typeof(InstanceMigrationCompleted)] = Prefix + "instance.migration.completed",
        [typeof(InstanceMigrationFailed)] = Prefix + "instance.migration.failed",
        [typeof(InstanceRebootScheduled)] = Prefix + "instance.reboot.scheduled",
        [typeof(InstanceRebootCompleted)] = Prefix + "instance.reboot.completed",
        [typeof(HostDrained)] = Prefix + "host.drained",
        [typeof(HostMaintenanceCompleted)] = Prefix + "host.maintenance.completed",
        [typeof(HostMaintenanceCancelled)] = Prefix + "host.maintenance.cancelled",
        [typeof(InstanceMoveCancelled)] = Prefix + "instance.move.cancelled",
        [typeof(SlaAtRisk)] = Prefix + "instance.sla.at-risk",
    };

    /// <summary>Every event type name.</summary>
    public static IReadOnlyCollection<string> All => Names.Values;

    /// <summary>The type name of events of a contract type.</summary>
    public static string Of<TEvent>()
        where TEvent : IMaintenanceLifecycleEvent => Names[typeof(TEvent)];

    /// <summary>The type name of an event.</summary>
    public static string Of(IMaintenanceLifecycleEvent @event) =>
        Names.TryGetValue(@event.GetType(), out var name)
            ? name
            : throw new ArgumentException($"{@event.GetType().Name} has no lifecycle event type name.", nameof(@event));
}
