namespace MaintenancePortal.Domain;

/// <summary>A request that the rules of maintenance refuse (a conflict with the current state).</summary>
[GenerateSerializer, Alias("MaintenancePortal.DomainException")]
public sealed class DomainException : Exception
{
    public DomainException(string message)
        : base(message)
    {
    }
}
