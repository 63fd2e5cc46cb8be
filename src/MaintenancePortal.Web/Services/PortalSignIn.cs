namespace MaintenancePortal.Web.Services;

/// <summary>How people sign in to this server.</summary>
/// <param name="DevelopmentPicker">
/// The development picker (choose a seeded tenant or the operator), embedded profile only; when
/// off, people sign in with their organization's OpenID provider.
/// </param>
public sealed record PortalSignIn(bool DevelopmentPicker);
