using MaintenancePortal.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// A refusal of the API to someone signed in (403) says why: the key's scopes do not cover the
/// method, or the sign-in has not the role (or tenant) the route needs. Anything else is the default.
/// </summary>
public sealed class ApiForbiddenHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Forbidden || !context.Request.Path.StartsWithSegments("/api"))
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
        var detail = failed.Any(r => r is RolesAuthorizationRequirement or ClaimsAuthorizationRequirement)
            ? $"Signed in as {context.User.Identity?.Name}, without the role this route needs."
            : failed.OfType<ApiScopeRequirement>().Any()
                ? $"This key's scopes ({string.Join(", ", context.User.FindAll(PortalClaims.Scope).Select(c => c.Value))}) do not allow "
                  + $"{context.Request.Method}: it needs {ApiScopeRequirement.NeededFor(context.Request)}."
                : "Not allowed.";
        await Results.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden").ExecuteAsync(context);
    }
}
