namespace MaintenancePortal.Web.Services;

/// <summary>Which profile the server runs, so the portal can say when nothing is kept.</summary>
/// <param name="Ephemeral">True when state lives in memory only and is lost on restart.</param>
public sealed record PortalProfile(string Name, bool Ephemeral);
