using System.Security.Claims;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Web.Security;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// Who the current request or Blazor event comes from, and from where: set for each HTTP request
/// after authentication, and for each inbound event of a circuit (<see cref="ActorCircuitHandler"/>).
/// Outside both (the system's own work) it is the system.
/// </summary>
public sealed class CurrentActor
{
    private static readonly AsyncLocal<(ClaimsPrincipal User, string? Source)?> Ambient = new();

    /// <summary>The actor, worked out from the sign-in only when something is recorded (not on every request).</summary>
    public (AuditActor Actor, string? Source) Value =>
        Ambient.Value is var (user, source) ? (PortalClaims.ActorOf(user), source) : (AuditActor.System, null);

    /// <summary>Sets the actor for the rest of the current flow (the request, the event).</summary>
    public static void Set(ClaimsPrincipal user, string? source) => Ambient.Value = (user, source);
}
