using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace MaintenancePortal.Server.Api;

/// <summary>Sign-out (sign-in is the portal's /signin page).</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // The portal's sign-out form carries an antiforgery token; a post without one is refused.
        endpoints.MapPost("/account/signout", async (HttpContext context) =>
            {
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.LocalRedirect("~/signin");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute());
        return endpoints;
    }
}
