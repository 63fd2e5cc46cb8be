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

    public bool IsDurable => string.Equals(Profile, DurableProfile, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A setting is missing or wrong, or what it points at cannot be reached. The message names the setting.</summary>
public sealed class PortalConfigurationException(string message) : Exception(message);
