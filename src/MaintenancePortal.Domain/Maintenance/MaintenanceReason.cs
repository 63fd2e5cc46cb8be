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

public static class MaintenanceReasonExtensions
{
    /// <summary>The reason as people read it (the portal, guest agents' descriptions, notices).</summary>
    public static string Describe(this MaintenanceReason reason) => reason switch
    {
        MaintenanceReason.FirmwareUpdate => "Firmware update",
        MaintenanceReason.HardwareReplacement => "Hardware replacement",
        MaintenanceReason.DegradedHardware => "Degraded hardware",
        MaintenanceReason.Rebalance => "Rebalancing",
        MaintenanceReason.PowerConsolidation => "Power consolidation",
        _ => reason.ToString(),
    };
}
