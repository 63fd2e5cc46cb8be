using System.Text.RegularExpressions;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// The form of every id in an API path (hosts, instances, moves, maintenance events, webhook
/// endpoints and messages): 1 to 64 ASCII letters, digits, '-', '_' or '.'. Any other segment names
/// nothing: the route does not match and the answer is 404, before a grain is asked.
/// </summary>
public sealed partial class ResourceIdConstraint : IRouteConstraint
{
    public const string Name = "id";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && value is string id && Form().IsMatch(id);

    [GeneratedRegex(@"^[A-Za-z0-9._-]{1,64}\z")]
    private static partial Regex Form();
}
