using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Grains.Tenants;
using MaintenancePortal.Notices;
using Microsoft.AspNetCore.Diagnostics;

namespace MaintenancePortal.Server.Portal;

/// <summary>
/// A tenant's maintenance as an iCalendar feed at <c>/calendar/{token}.ics</c>, for calendar clients
/// to subscribe to: one event per move (scheduled, running, completed, cancelled) of the last
/// <see cref="Reach"/> and every move not finished, with a UID that never changes and a SEQUENCE that
/// grows each time its start is moved. The token is the only credential; an unknown or rotated one is
/// answered 404 with nothing else.
/// </summary>
public static class CalendarFeed
{
    /// <summary>How far back finished moves are listed.</summary>
    public static readonly TimeSpan Reach = TimeSpan.FromDays(90);

    /// <summary>At most this many events (the newest).</summary>
    public const int MaxEvents = 2_000;

    public static IEndpointRouteBuilder MapCalendarFeed(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/calendar/{file}", FeedAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task FeedAsync(HttpContext http, string file, IGrainFactory grains, TimeProvider time)
    {
        var token = file.EndsWith(".ics", StringComparison.Ordinal) ? file[..^4] : "";
        var tenantId = AddressToken.IsWellFormed(token)
            ? await grains.GetGrain<IAddressTokenGrain>(AddressToken.Key(AddressPurpose.Calendar, token)).GetOwnerAsync()
            : null;
        if (tenantId is null || !await grains.GetGrain<ITenantGrain>(tenantId).IsCalendarTokenAsync(token))
        {
            http.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var now = time.GetUtcNow();
        var moves = new List<MoveSummary>();
        var index = grains.GetGrain<ITenantMovesGrain>(tenantId);
        var query = new MoveQuery(From: now - Reach, Limit: MoveQuery.MaxLimit);
        for (string? after = null; moves.Count < MaxEvents;)
        {
            var page = await index.QueryAsync(query, after);
            moves.AddRange(page.Moves);
            if ((after = page.Next) is null)
            {
                break;
            }
        }

        // Moves scheduled before the reach that are still to happen belong in the calendar too.
        foreach (var state in new[] { MoveState.Scheduled, MoveState.Migrating })
        {
            var open = await index.QueryAsync(new MoveQuery(State: state, To: now - Reach, Limit: MoveQuery.MaxLimit), null);
            moves.AddRange(open.Moves);
        }

        var portal = $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/migrations/";
        http.Response.ContentType = "text/calendar; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        await http.Response.WriteAsync(MoveCalendar.Write(moves.Take(MaxEvents), now, portal), http.RequestAborted);
    }
}
