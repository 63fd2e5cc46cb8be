using System.Security.Claims;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MaintenancePortal.Server.Api;

/// <summary>The tenant REST API. The tenant is always the caller's own, taken from the sign-in, never from the request.</summary>
public static class TenantApi
{
    public static IEndpointRouteBuilder MapTenantApi(this IEndpointRouteBuilder endpoints)
    {
        var tenant = endpoints.MapGroup("/api/tenant").RequireAuthorization(PortalClaims.TenantPolicy);
        tenant.MapGet("/migrations", (ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
            portal.GetMovesAsync(PortalClaims.TenantIdOf(user), ct));
        tenant.MapPost("/migrations/{moveId}/reschedule", RescheduleAsync);
        tenant.MapPost("/migrations/{moveId}/approve", (string moveId, ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
            portal.ApproveAsync(PortalClaims.TenantIdOf(user), moveId, ct));
        tenant.MapGet("/preferences", (ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
            portal.GetPreferencesAsync(PortalClaims.TenantIdOf(user), ct));
        tenant.MapPut("/preferences", SetPreferencesAsync);
        return endpoints;
    }

    /// <summary>Body of a reschedule: the new start, at most the move's latest start.</summary>
    public sealed record RescheduleRequest(DateTimeOffset? Start);

    /// <summary>Body of the preferences: a default, exceptions per instance, and weekly windows in UTC.</summary>
    public sealed record PreferencesRequest(
        MovePreference? Default,
        Dictionary<string, MovePreference>? PerInstance,
        List<WindowRequest>? Windows);

    /// <summary>A weekly window: day, start ("HH:mm", UTC) and length ("hh:mm:ss").</summary>
    public sealed record WindowRequest(DayOfWeek? Day, TimeOnly? StartUtc, TimeSpan? Length);

    private static async Task<Results<Ok<InstanceMove>, ValidationProblem>> RescheduleAsync(string moveId, RescheduleRequest request,
        ClaimsPrincipal user, ITenantPortal portal, CancellationToken cancellationToken) =>
        request.Start is { } start
            ? TypedResults.Ok(await portal.RescheduleAsync(PortalClaims.TenantIdOf(user), moveId, start, cancellationToken))
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["start"] = ["Give the new start as an ISO 8601 time."] });

    private static async Task<Results<Ok<TenantPreferences>, ValidationProblem>> SetPreferencesAsync(PreferencesRequest request,
        ClaimsPrincipal user, ITenantPortal portal, CancellationToken cancellationToken)
    {
        var tenantId = PortalClaims.TenantIdOf(user);
        var errors = new Dictionary<string, string[]>();
        var windows = request.Windows ?? [];
        if (windows.Any(w => w.Day is null || w.StartUtc is null || w.Length is not { } length
                             || length <= TimeSpan.Zero || length > TimeSpan.FromDays(7)))
        {
            errors["windows"] = ["Each window needs a day, a start (HH:mm, UTC) and a length between 1 second and 7 days."];
        }

        var perInstance = request.PerInstance ?? [];
        var instances = await portal.GetInstanceIdsAsync(tenantId, cancellationToken);
        if (perInstance.Keys.FirstOrDefault(id => !instances.Contains(id)) is { } unknown)
        {
            errors["perInstance"] = [$"You have no instance {unknown}."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var preferences = new TenantPreferences(request.Default ?? MovePreference.LiveMigrate, perInstance,
            [.. windows.Select(w => new MaintenanceWindow(w.Day!.Value, w.StartUtc!.Value, w.Length!.Value))]);
        await portal.SetPreferencesAsync(tenantId, preferences, cancellationToken);
        return TypedResults.Ok(preferences);
    }
}
