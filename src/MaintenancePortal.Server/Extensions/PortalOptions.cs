namespace MaintenancePortal.Server.Extensions;

/// <summary>The "MaintenancePortal" configuration section: which profile the server runs.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "MaintenancePortal";

    public const string EmbeddedProfile = "Embedded";

    /// <summary>Embedded: everything in this process and in memory, seeded with a demo fleet.</summary>
    public string Profile { get; set; } = EmbeddedProfile;
}
