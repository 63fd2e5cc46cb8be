using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Planning;

/// <summary>When in its allowed span a reboot-based move is put.</summary>
public enum RebootTiming
{
    /// <summary>As late as still finishes before the deadline: the tenant keeps the most time to act first.</summary>
    Latest,

    /// <summary>As soon as the notice allows: waiting gains nothing (or adds risk).</summary>
    Earliest,
}

/// <summary>How maintenance for one reason is carried out.</summary>
/// <param name="Priority">Lower runs first when moves compete for migration slots.</param>
/// <param name="PostCopy">Whether post-copy may finish a live migration that does not converge.</param>
public sealed record ReasonProfile(
    MaintenanceReason Reason,
    int Priority,
    TimeSpan LiveNotice,
    RebootTiming RebootTiming,
    PostCopyMode PostCopy)
{
    /// <summary>
    /// The defaults per reason. Degraded hardware is proactive fault tolerance: shorter notice,
    /// first in line, reboot fallback at once, and post-copy allowed to get off the failing source
    /// quickly. Planned work (firmware, replacement) gives the tenant the most time. Rebalancing and
    /// power consolidation are optional work and yield to everything else.
    /// </summary>
    public static ReasonProfile For(MaintenanceReason reason, MaintenanceOptions options) => reason switch
    {
        MaintenanceReason.DegradedHardware => new(reason, 0, options.UrgentNotice, RebootTiming.Earliest, PostCopyMode.AfterEscalation),
        MaintenanceReason.HardwareReplacement => new(reason, 1, options.LiveMigrationNotice, RebootTiming.Latest, PostCopyMode.Never),
        MaintenanceReason.FirmwareUpdate => new(reason, 1, options.LiveMigrationNotice, RebootTiming.Latest, PostCopyMode.Never),
        MaintenanceReason.Rebalance => new(reason, 2, options.LiveMigrationNotice, RebootTiming.Latest, PostCopyMode.Never),
        MaintenanceReason.PowerConsolidation => new(reason, 3, options.LiveMigrationNotice, RebootTiming.Latest, PostCopyMode.Never),
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown maintenance reason."),
    };
}
