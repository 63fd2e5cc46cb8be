using System.Net;
using System.Text.Json;
using Ical.Net;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>The tenant's calendar feed as a calendar client reads it, parsed back with Ical.Net.</summary>
public sealed class CalendarFeedTests
{
    private const string Tenant = "northwind";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<Calendar> ReadAsync(HttpClient http, string address)
    {
        using var response = await http.GetAsync(address, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/calendar", response.Content.Headers.ContentType?.MediaType);
        return Calendar.Load(await response.Content.ReadAsStringAsync(Ct))!;
    }

    [Fact]
    public async Task Every_move_is_an_event_that_keeps_its_uid_whose_sequence_grows_when_moved_and_that_says_when_it_is_called_off()
    {
        await using var server = await PortalServer.StartAsync(Ct);
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync($"tenant:{Tenant}", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        var (maintenanceId, moves) = await WaitingMoves.StartAsync(tenant, operatorClient, $"h-{Tenant}-03", Ct);
        // The same moves as CSV: a header, then one row per move.
        using var csv = await tenant.GetAsync($"api/tenant/migrations.csv?maintenance={maintenanceId}", Ct);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync(Ct)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("move_id,maintenance_id,instance_id,instance_name,", lines[0], StringComparison.Ordinal);
        Assert.Equal(moves.Select(m => m.GetProperty("moveId").GetString()!).Order(), lines.Skip(1).Select(l => l.Split(',')[0]).Order());

        var address = (await tenant.GetJsonAsync("api/tenant/calendar", Ct)).GetProperty("address").GetString()!;
        using var http = new HttpClient();

        var calendar = await ReadAsync(http, address);
        foreach (var move in moves)
        {
            var moveId = move.GetProperty("moveId").GetString()!;
            var e = calendar.Events.Single(e => e.Uid == $"{moveId}@maintenanceportal");
            Assert.Equal(0, e.Sequence);
            Assert.Equal("CONFIRMED", e.Status);
            Assert.Equal(move.GetProperty("notBefore").GetDateTimeOffset().UtcDateTime, e.Start!.AsUtc, TimeSpan.FromSeconds(1));
            Assert.Contains(move.GetProperty("instanceName").GetString()!, e.Summary, StringComparison.Ordinal);
        }

        // Rescheduled: the same event, a higher sequence, the new start.
        var moved = moves[0].GetProperty("moveId").GetString()!;
        var newStart = DateTimeOffset.UtcNow.AddHours(1);
        Assert.Equal(HttpStatusCode.OK, (await tenant.PostJsonAsync($"api/tenant/migrations/{moved}/reschedule", new { start = newStart }, Ct)).StatusCode);
        var again = (await ReadAsync(http, address)).Events.Single(e => e.Uid == $"{moved}@maintenanceportal");
        Assert.Equal(1, again.Sequence);
        Assert.Equal(newStart.UtcDateTime, again.Start!.AsUtc, TimeSpan.FromSeconds(1));

        // Called off: every event of it says so.
        Assert.Equal(HttpStatusCode.OK, (await operatorClient.PostJsonAsync($"api/operator/maintenance/{maintenanceId}/cancel", new { }, Ct)).StatusCode);
        await Eventually.HoldsAsync(async () => (await ReadAsync(http, address)).Events
                .Where(e => moves.Any(m => e.Uid == $"{m.GetProperty("moveId").GetString()}@maintenanceportal"))
                .All(e => e.Status == "CANCELLED"),
            TimeSpan.FromSeconds(30));

        // Another tenant's feed has none of it; a new address closes the old one; made-up ones answer nothing.
        using var other = new PortalHttpClient(server.BaseAddress);
        await other.SignInAsync("tenant:fabrikam", Ct);
        var otherAddress = (await other.GetJsonAsync("api/tenant/calendar", Ct)).GetProperty("address").GetString()!;
        Assert.DoesNotContain((await ReadAsync(http, otherAddress)).Events, e => e.Uid == $"{moved}@maintenanceportal");
        using var rotated = await tenant.PostJsonAsync("api/tenant/calendar/rotate", new { }, Ct);
        var newAddress = JsonSerializer.Deserialize<JsonElement>(await rotated.Content.ReadAsStringAsync(Ct)).GetProperty("address").GetString()!;
        Assert.NotEqual(address, newAddress);
        Assert.Contains((await ReadAsync(http, newAddress)).Events, e => e.Uid == $"{moved}@maintenanceportal");
        foreach (var gone in new[] { address, $"{server.BaseAddress}calendar/{new string('A', 43)}.ics", $"{server.BaseAddress}calendar/nothing.ics" })
        {
            using var answer = await http.GetAsync(gone, Ct);
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Empty(await answer.Content.ReadAsStringAsync(Ct));
        }
    }
}
