namespace MaintenancePortal.Domain.Migration;

/// <summary>How an operator finishes a live migration that is taking too long.</summary>
public enum ForceCompletion
{
    /// <summary>Pause the instance and copy what is left: a longer pause, a certain end.</summary>
    PauseAndCopy,

    /// <summary>Resume on the destination now and pull the remaining pages on demand.</summary>
    PostCopy,
}
