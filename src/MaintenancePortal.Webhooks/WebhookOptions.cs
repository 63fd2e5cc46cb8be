namespace MaintenancePortal.Webhooks;

/// <summary>How webhooks are delivered (section <c>MaintenancePortal:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "MaintenancePortal:Webhooks";

    /// <summary>
    /// Allows http:// URLs and receivers on loopback: local development and tests only. Unset, it
    /// follows the profile: allowed in the embedded profile, refused in the durable one.
    /// </summary>
    public bool? AllowInsecureUrls { get; set; }

    /// <summary>How long an attempt may take, connection and answer included.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The most of a receiver's answer that is read.</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    /// <summary>Attempts on their way to one endpoint at once.</summary>
    public int MaxInFlightPerEndpoint { get; set; } = 16;

    /// <summary>The sender's name in the CloudEvents webhook handshake (<c>WebHook-Request-Origin</c>).</summary>
    public string Origin { get; set; } = "webhooks.maintenanceportal.local";
}
