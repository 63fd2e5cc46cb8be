namespace MaintenancePortal.Web.Security;

/// <summary>Where to go after signing in: a path of this site only, never another site (<c>//host</c>, <c>/\host</c>) or the sign-in itself.</summary>
public static class ReturnUrl
{
    public static string LocalOr(string? url, string fallback) =>
        url is { Length: > 0 } && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.StartsWith("/\\", StringComparison.Ordinal) && !url.Contains("signin", StringComparison.OrdinalIgnoreCase)
        && Uri.IsWellFormedUriString(url, UriKind.Relative)
            ? url
            : fallback;
}
