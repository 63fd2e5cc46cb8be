namespace MaintenancePortal.Server.Extensions;

/// <summary>The "MaintenancePortal" configuration section: which profile the server runs.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "MaintenancePortal";

    /// <summary>Everything in this process and in memory, seeded with a demo fleet; nothing is kept.</summary>
    public const string EmbeddedProfile = "Embedded";

    /// <summary>Orleans on Azure Storage tables, MassTransit on RabbitMQ; two or more silos form one cluster.</summary>
    public const string DurableProfile = "Durable";

    public string Profile { get; set; } = EmbeddedProfile;

    /// <summary>
    /// Durable profile: how long the server waits at start-up for storage and the broker to answer
    /// (they may be coming back from the same outage) before it gives up, naming the setting.
    /// </summary>
    public TimeSpan WaitForServices { get; set; } = TimeSpan.FromMinutes(1);

    public bool IsDurable => string.Equals(Profile, DurableProfile, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A setting is missing or wrong, or what it points at cannot be reached. The message names the setting.</summary>
public sealed class PortalConfigurationException(string message) : Exception(message);
