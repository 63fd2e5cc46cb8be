using Microsoft.AspNetCore.Authentication.Cookies;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// A write to the API (any method but GET, HEAD, OPTIONS) made with the session cookie must show it
/// comes from the portal's own origin: it carries <c>X-Requested-With</c> (a form cannot set a
/// header, and a cross-origin script setting one needs a preflight the portal never answers), and
/// the <c>Origin</c> and <c>Sec-Fetch-Site</c> the browser sends, when it sends them, name the
/// portal itself. Requests with a key are not concerned: a browser never sends a key by itself.
/// </summary>
public static class CrossSiteWriteGuard
{
    public const string RequiredHeader = "X-Requested-With";

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    public static string? Refusal(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)
            || HttpMethods.IsOptions(request.Method)
            || context.User.Identity is not { IsAuthenticated: true, AuthenticationType: CookieAuthenticationDefaults.AuthenticationScheme })
        {
            return null;
        }

        if (request.Headers[RequiredHeader] is not [{ Length: > 0 }])
        {
            return $"A change made with the session cookie needs the {RequiredHeader} header (or use an API key).";
        }

        if (request.Headers.Origin is [{ } origin]
            && !string.Equals(origin, $"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase))
        {
            return $"A change made with the session cookie must come from the portal's own origin, not {origin}.";
        }

        if (request.Headers["Sec-Fetch-Site"] is [{ } site] && site is not ("same-origin" or "none"))
        {
            return $"A change made with the session cookie must come from the portal's own origin (Sec-Fetch-Site: {site}).";
        }

        return null;
    }
}
