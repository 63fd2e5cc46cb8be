using MaintenancePortal.Server.Access;
using MaintenancePortal.Web.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace MaintenancePortal.Server.Api;

/// <summary>Sign-in (to the OpenID provider, or the development picker) and sign-out.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/account/signin", (string? returnUrl, SignInSettings signIn) =>
            {
                var target = ReturnUrl.LocalOr(returnUrl, "/");
                return signIn.UsesOpenIdConnect
                    ? Results.Challenge(new AuthenticationProperties { RedirectUri = target }, [OpenIdConnectDefaults.AuthenticationScheme])
                    : Results.LocalRedirect($"~/signin?returnUrl={Uri.EscapeDataString(target)}");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();

        // The portal's sign-out form carries an antiforgery token; a post without one is refused.
        endpoints.MapPost("/account/signout", async (HttpContext context) =>
            {
                await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return TypedResults.LocalRedirect("~/signed-out");
            })
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .ExcludeFromDescription();
        return endpoints;
    }
}
