namespace MaintenancePortal.Domain;

/// <summary>A request whose input breaks a rule on its own (a malformed value), before any state is consulted.</summary>
/// <param name="field">The input it is about, as the request names it.</param>
[GenerateSerializer, Alias("MaintenancePortal.InvalidRequestException")]
public sealed class InvalidRequestException(string field, string message) : Exception(message)
{
    [Id(0)] public string Field { get; } = field;
}
