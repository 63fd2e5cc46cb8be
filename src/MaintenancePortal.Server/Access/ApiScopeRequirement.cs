using MaintenancePortal.Domain.Access;
using MaintenancePortal.Web.Security;
using Microsoft.AspNetCore.Authorization;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// Part of the tenant and operator policies: a request made with a key needs the scope its method
/// does (Read for GET and HEAD, Manage for the rest). A person's session has every scope.
/// </summary>
public sealed class ApiScopeRequirement : AuthorizationHandler<ApiScopeRequirement>, IAuthorizationRequirement
{
    /// <summary>The scope a request with a key needs, by its method.</summary>
    public static ApiKeyScope NeededFor(HttpRequest request) =>
        ApiKey.ScopeFor(reads: HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method));

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ApiScopeRequirement requirement)
    {
        if (context.User.FindFirst(PortalClaims.KeyId) is null)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        // A key reaches only the API: no page, no circuit.
        if (context.Resource is HttpContext http)
        {
            var needed = NeededFor(http.Request);
            var held = context.User.FindAll(PortalClaims.Scope).Select(c => Enum.TryParse<ApiKeyScope>(c.Value, out var scope) ? scope : (ApiKeyScope?)null)
                .OfType<ApiKeyScope>();
            if (ApiKey.ScopesAllow(held, needed))
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
