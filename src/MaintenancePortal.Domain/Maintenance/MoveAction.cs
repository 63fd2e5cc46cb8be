namespace MaintenancePortal.Domain.Maintenance;

/// <summary>How an instance is moved.</summary>
public enum MoveAction
{
    /// <summary>Moved while running; the only pause is the final stop-and-copy.</summary>
    LiveMigration,

    /// <summary>Stopped on the source and started on the destination, with notice.</summary>
    RebootMove,
}
