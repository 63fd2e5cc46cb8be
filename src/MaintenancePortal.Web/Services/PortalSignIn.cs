namespace MaintenancePortal.Web.Services;

/// <summary>How people sign in to this server.</summary>
/// <param name="DevelopmentPicker">The development picker (choose a seeded tenant or the operator): embedded profile only.</param>
/// <param name="OpenIdConnect">Sign-in with the organization's OpenID provider.</param>
public sealed record PortalSignIn(bool DevelopmentPicker, bool OpenIdConnect);
