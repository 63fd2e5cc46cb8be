namespace MaintenancePortal.Domain;

/// <summary>A request that the rules of maintenance refuse (a conflict with the current state).</summary>
public sealed class DomainException(string message) : Exception(message);
