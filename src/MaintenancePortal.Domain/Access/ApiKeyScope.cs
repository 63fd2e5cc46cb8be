namespace MaintenancePortal.Domain.Access;

/// <summary>What an API key may do.</summary>
public enum ApiKeyScope
{
    /// <summary>Read (GET and HEAD).</summary>
    Read,

    /// <summary>Read and change (every method).</summary>
    Manage,
}
