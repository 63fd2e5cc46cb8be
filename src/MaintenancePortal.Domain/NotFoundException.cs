namespace MaintenancePortal.Domain;

/// <summary>What was asked for does not exist, or does not belong to the one asking.</summary>
[GenerateSerializer, Alias("MaintenancePortal.NotFoundException")]
public sealed class NotFoundException : Exception
{
    public NotFoundException(string message)
        : base(message)
    {
    }
}
