using System.Net;
using System.Text.Json;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.IntegrationTests;

/// <summary>Moves that hold still for a test: the tenant asks to approve every move, then an operator starts maintenance of one of its hosts.</summary>
internal static class WaitingMoves
{
    /// <summary>The maintenance and every one of its moves as the tenant lists them, all scheduled and waiting for its approval.</summary>
    public static async Task<(string MaintenanceId, List<JsonElement> Moves)> StartAsync(PortalHttpClient tenant, PortalHttpClient operatorClient,
        string hostId, CancellationToken cancellationToken)
    {
        Assert.Equal(HttpStatusCode.OK, (await tenant.PutJsonAsync("api/tenant/preferences", new { @default = "AskFirst" }, cancellationToken)).StatusCode);
        var (status, started) = await operatorClient.StartMaintenanceAsync(hostId, cancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var maintenanceId = started.GetProperty("maintenanceId").GetString()!;
        var moves = new List<JsonElement>();
        await Eventually.HoldsAsync(async () =>
        {
            moves = [.. (await tenant.GetJsonAsync($"api/tenant/migrations?maintenance={maintenanceId}", cancellationToken)).GetProperty("moves").EnumerateArray()];
            return moves.Count == started.GetProperty("moves").EnumerateObject().Count() && moves.All(m => m.GetProperty("state").GetString() == "Scheduled");
        }, TimeSpan.FromSeconds(30));
        Assert.NotEmpty(moves);
        return (maintenanceId, moves);
    }
}
