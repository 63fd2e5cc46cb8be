namespace MaintenancePortal.Domain.Maintenance;

/// <summary>Why a host is being emptied.</summary>
public enum MaintenanceReason
{
    /// <summary>Firmware or hypervisor update.</summary>
    FirmwareUpdate,

    /// <summary>A component is replaced, or the server is refreshed.</summary>
    HardwareReplacement,

    /// <summary>Monitoring saw early signs of failure: move before it breaks.</summary>
    DegradedHardware,

    /// <summary>The host is overloaded: move load to hosts with room.</summary>
    Rebalance,

    /// <summary>Empty a lightly loaded host so it can be powered down.</summary>
    PowerConsolidation,
}
