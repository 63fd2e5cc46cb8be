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
        tenant.MapGet("/migrations", async (string? state, string? reason, string? instance, string? maintenance, string? q, string? from,
                    string? to, string? sort, string? limit, string? cursor, ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
                MovePageResponse.Of(await portal.QueryMovesAsync(PortalClaims.TenantIdOf(user),
                    MovesQuery(state, reason, instance, maintenance, q, from, to, sort, limit), cursor, ct)))
            .WithSummary("A page of the tenant's moves (newest first unless sorted): filtered by state, reason, instance, maintenance event, "
                         + "a search in instance names and IDs and the time scheduled; grouped by maintenance event; cursor-paged.");
        tenant.MapGet("/migrations.csv", (string? state, string? reason, string? instance, string? maintenance, string? q, string? from,
                    string? to, string? sort, ClaimsPrincipal user, ITenantPortal portal, HttpContext http) =>
                MovesCsv.WriteAsync(http.Response, portal, PortalClaims.TenantIdOf(user),
                    MovesQuery(state, reason, instance, maintenance, q, from, to, sort, null), http.RequestAborted))
            .WithSummary("Every move of the same filters as CSV (RFC 4180, UTF-8, one row per move).");
        tenant.MapGet("/migrations/{moveId:id}", async (string moveId, ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
                MoveResponse.Of(await portal.GetMoveAsync(PortalClaims.TenantIdOf(user), moveId, ct)))
            .WithSummary("One move whole: the plan, progress, receipt, and its timeline (every step, each pre-copy round).");
        tenant.MapPost("/migrations/{moveId:id}/reschedule", RescheduleAsync)
            .WithSummary("A new start for a move that has not started, at most its latest start.");
        tenant.MapPost("/migrations/{moveId:id}/approve", async (string moveId, ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
                MoveResponse.Of(await portal.ApproveAsync(PortalClaims.TenantIdOf(user), moveId, ct)))
            .WithSummary("Start a move now instead of waiting.");
        tenant.MapGet("/instances/{instanceId:id}/metadata", async (string instanceId, ClaimsPrincipal user, ITenantPortal portal,
                HttpRequest request, CancellationToken ct) =>
                MetadataAddressResponse.Of(request, instanceId, await portal.GetMetadataTokenAsync(PortalClaims.TenantIdOf(user), instanceId, ct)))
            .WithSummary("The instance's metadata address: what its 169.254.169.254 traffic is answered from (Azure Scheduled Events, AWS IMDSv2).");
        tenant.MapPost("/instances/{instanceId:id}/metadata/rotate", async (string instanceId, ClaimsPrincipal user, ITenantPortal portal,
                HttpRequest request, CancellationToken ct) =>
                MetadataAddressResponse.Of(request, instanceId, await portal.RotateMetadataTokenAsync(PortalClaims.TenantIdOf(user), instanceId, ct)))
            .WithSummary("A new metadata address for the instance; the old one answers 404 from now on.");
        tenant.MapGet("/calendar", async (ClaimsPrincipal user, ITenantPortal portal, HttpRequest request, CancellationToken ct) =>
                CalendarAddressResponse.Of(request, await portal.GetCalendarTokenAsync(PortalClaims.TenantIdOf(user), ct)))
            .WithSummary("The address of the tenant's calendar feed (iCalendar): every move, for calendar clients to subscribe to.");
        tenant.MapPost("/calendar/rotate", async (ClaimsPrincipal user, ITenantPortal portal, HttpRequest request, CancellationToken ct) =>
                CalendarAddressResponse.Of(request, await portal.RotateCalendarTokenAsync(PortalClaims.TenantIdOf(user), ct)))
            .WithSummary("A new calendar feed address; the old one answers 404 from now on.");
        tenant.MapGet("/preferences", async (ClaimsPrincipal user, ITenantPortal portal, CancellationToken ct) =>
                PreferencesResponse.Of(await portal.GetPreferencesAsync(PortalClaims.TenantIdOf(user), ct)))
            .WithSummary("How the tenant wants its instances moved, and its weekly windows.");
        tenant.MapPut("/preferences", SetPreferencesAsync)
            .WithSummary("Replace the preferences; moves planned from now on follow them.");
        return endpoints;
    }

    /// <summary>The moves query of the API's parameters, checked.</summary>
    private static MoveQuery MovesQuery(string? state, string? reason, string? instance, string? maintenance, string? q, string? from,
        string? to, string? sort, string? limit) =>
        new MoveQuery(QueryString.Enum<MoveState>(state, "state"), QueryString.Enum<MaintenanceReason>(reason, "reason"), instance, maintenance,
            q, QueryString.Time(from, "from"), QueryString.Time(to, "to"), QueryString.Enum<MoveSort>(sort, "sort") ?? MoveSort.Newest,
            QueryString.Limit(limit, MoveQuery.DefaultLimit, MoveQuery.MaxLimit)).Checked();

    /// <summary>Body of a reschedule: the new start, at most the move's latest start.</summary>
    public sealed record RescheduleRequest(DateTimeOffset? Start);

    /// <summary>Body of the preferences: a default, exceptions per instance, an IANA time zone (UTC if left out) and weekly windows in it.</summary>
    public sealed record PreferencesRequest(
        MovePreference? Default,
        Dictionary<string, MovePreference>? PerInstance,
        string? TimeZone,
        List<WindowRequest?>? Windows);

    /// <summary>A weekly window: day, start ("HH:mm", local time in the preferences' zone) and length ("hh:mm:ss", at least 2 hours).</summary>
    public sealed record WindowRequest(DayOfWeek? Day, TimeOnly? Start, TimeSpan? Length);

    private static async Task<Ok<MoveResponse>> RescheduleAsync(string moveId, RescheduleRequest request,
        ClaimsPrincipal user, ITenantPortal portal, CancellationToken cancellationToken) =>
        TypedResults.Ok(MoveResponse.Of(await portal.RescheduleAsync(PortalClaims.TenantIdOf(user), moveId,
            RequestBody.Required(request.Start, "start", "Give the new start as an ISO 8601 time."), cancellationToken)));

    private static async Task<Ok<PreferencesResponse>> SetPreferencesAsync(PreferencesRequest request,
        ClaimsPrincipal user, ITenantPortal portal, CancellationToken cancellationToken)
    {
        var tenantId = PortalClaims.TenantIdOf(user);
        var windows = RequestBody.List(request.Windows, "windows").Select((w, i) => new MaintenanceWindow(
            RequestBody.Required(w.Day, $"windows[{i}].day", "Each window needs a day."),
            RequestBody.Required(w.Start, $"windows[{i}].start", "Each window needs a start (HH:mm, in the time zone)."),
            RequestBody.Required(w.Length, $"windows[{i}].length", "Each window needs a length (hh:mm:ss)."))).ToList();
        var preferences = TenantPreferences.Create(request.Default ?? MovePreference.LiveMigrate, request.PerInstance ?? [], windows,
            request.TimeZone ?? TenantPreferences.Utc, await portal.GetInstanceIdsAsync(tenantId, cancellationToken));
        await portal.SetPreferencesAsync(tenantId, preferences, cancellationToken);
        return TypedResults.Ok(PreferencesResponse.Of(preferences));
    }
}
