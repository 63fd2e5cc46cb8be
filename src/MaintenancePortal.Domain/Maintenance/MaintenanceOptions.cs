namespace MaintenancePortal.Domain.Maintenance;

/// <summary>The knobs of maintenance, bound from the "Maintenance" configuration section.</summary>
public sealed class MaintenanceOptions
{
    public const string SectionName = "Maintenance";

    /// <summary>Every instance must be moved within this time of the trigger.</summary>
    public TimeSpan CompletionSla { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long before a live migration the tenant is told.</summary>
    public TimeSpan LiveMigrationNotice { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Live migrations leaving one host at the same time.</summary>
    public int MaxOutboundPerHost { get; set; } = 2;

    /// <summary>How often a running migration's status is read from the hypervisor.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}
