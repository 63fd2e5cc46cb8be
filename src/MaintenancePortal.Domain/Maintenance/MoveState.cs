namespace MaintenancePortal.Domain.Maintenance;

/// <summary>Where an instance move is.</summary>
public enum MoveState
{
    /// <summary>Announced to the tenant; starts no earlier than its not-before time.</summary>
    Scheduled,

    /// <summary>Memory is being copied to the destination.</summary>
    Migrating,

    /// <summary>Running on the destination with the same ID and IP.</summary>
    Completed,

    /// <summary>The move stopped without moving the instance.</summary>
    Failed,

    /// <summary>Called off before it ran.</summary>
    Cancelled,
}

public static class MoveStateExtensions
{
    public static bool IsTerminal(this MoveState state) => state is MoveState.Completed or MoveState.Failed or MoveState.Cancelled;
}
