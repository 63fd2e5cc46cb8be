namespace MaintenancePortal.Webhooks;

/// <summary>A webhook URL whose host resolves only to addresses deliveries may not connect to.</summary>
public sealed class OutboundAddressRefusedException(string host, string reason)
    : Exception($"Webhook deliveries may not connect to {host}: it is {reason}.")
{
    public string Host { get; } = host;
}
