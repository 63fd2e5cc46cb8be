namespace MaintenancePortal.Domain.Maintenance;

/// <summary>The knobs of maintenance, bound from the "Maintenance" configuration section.</summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Maintenance";

    /// <summary>Every instance must be moved within this time of the trigger.</summary>
    public TimeSpan CompletionSla { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long before a live migration the tenant is told.</summary>
    public TimeSpan LiveMigrationNotice { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Notice before a live migration for degraded hardware, where waiting adds risk.</summary>
    public TimeSpan UrgentNotice { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long before a reboot-based move the tenant is told (never less than this).</summary>
    public TimeSpan RebootNotice { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a reboot-based move takes: stop on the source, start on the destination.</summary>
    public TimeSpan RebootDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Every move is planned to finish at least this long before the deadline.</summary>
    public TimeSpan SafetyMargin { get; set; } = TimeSpan.FromHours(1);

    /// <summary>A live migration is given this many times its predicted duration before it counts as overrunning.</summary>
    public double PredictionSafetyFactor { get; set; } = 2.0;

    /// <summary>Live attempts (each on another destination) before the move falls back to a reboot.</summary>
    public int MaxLiveAttempts { get; set; } = 2;

    /// <summary>Live migrations leaving one host at the same time.</summary>
    public int MaxOutboundPerHost { get; set; } = 2;

    /// <summary>Live migrations arriving at one host at the same time.</summary>
    public int MaxInboundPerHost { get; set; } = 2;

    /// <summary>Live migrations running in the whole cluster at the same time.</summary>
    public int MaxPerCluster { get; set; } = 5;

    /// <summary>How often a running migration's status is read from the hypervisor.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A copy to change without touching these (bound options are shared).</summary>
    public MaintenanceOptions Copy() => (MaintenanceOptions)MemberwiseClone();
}
