using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MaintenancePortal.Server.Api;

/// <summary>The operator REST API: the fleet, and starting maintenance.</summary>
public static class OperatorApi
{
    public static IEndpointRouteBuilder MapOperatorApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/operator").RequireAuthorization(PortalClaims.OperatorPolicy);
        api.MapGet("/hosts", async (IOperatorConsole console, CancellationToken ct) =>
                (await console.GetHostsAsync(ct)).Select(HostResponse.Of).ToList())
            .WithSummary("Every host, spares included, with its state, capacity and instances.");
        api.MapGet("/maintenance", async (IOperatorConsole console, CancellationToken ct) =>
                (await console.GetMaintenanceEventsAsync(ct)).Select(MaintenanceResponse.Of).ToList())
            .WithSummary("Every maintenance event, newest first.");
        api.MapGet("/maintenance/{maintenanceId:id}", GetMaintenanceAsync).WithSummary("One maintenance event.");
        api.MapPost("/hosts/{hostId:id}/maintenance", StartMaintenanceAsync).WithSummary("Start maintenance of a host: its instances are moved away.");
        api.MapPost("/maintenance/{maintenanceId:id}/cancel", async (string maintenanceId, IOperatorConsole console, CancellationToken ct) =>
                MaintenanceResponse.Of(await console.CancelMaintenanceAsync(maintenanceId, ct)))
            .WithSummary("Call a maintenance off: moves not started are cancelled, running ones finish.");
        api.MapPost("/maintenance/{maintenanceId:id}/complete", async (string maintenanceId, IOperatorConsole console, CancellationToken ct) =>
                MaintenanceResponse.Of(await console.CompleteMaintenanceAsync(maintenanceId, ct)))
            .WithSummary("The drained host's work is done: it returns to service.");
        api.MapPost("/instances/{instanceId:id}/abort", async (string instanceId, IOperatorConsole console, CancellationToken ct) =>
        {
            await console.AbortMigrationAsync(instanceId, ct);
            return TypedResults.Accepted($"/api/operator/maintenance");
        }).WithSummary("Abort a running live migration; it is retried elsewhere or rebooted.");
        api.MapPost("/instances/{instanceId:id}/force-complete", ForceCompleteAsync)
            .WithSummary("Finish a running live migration now: PauseAndCopy or PostCopy.");
        return endpoints;
    }

    /// <summary>Body of a force-complete: PauseAndCopy or PostCopy.</summary>
    public sealed record ForceCompleteRequest(ForceCompletion? Mode);

    private static async Task<Accepted> ForceCompleteAsync(string instanceId, ForceCompleteRequest request,
        IOperatorConsole console, CancellationToken cancellationToken)
    {
        var mode = RequestBody.Required(request.Mode, "mode", $"Give the mode, one of: {StrictEnumConverter.Names<ForceCompletion>()}.");
        await console.ForceCompleteMigrationAsync(instanceId, mode, cancellationToken);
        return TypedResults.Accepted("/api/operator/maintenance");
    }

    /// <summary>Body of a request to start maintenance.</summary>
    /// <param name="Reason">FirmwareUpdate, HardwareReplacement, DegradedHardware, Rebalance or PowerConsolidation.</param>
    public sealed record StartMaintenanceRequest(MaintenanceReason? Reason);

    private static async Task<Results<Ok<MaintenanceResponse>, ProblemHttpResult>> GetMaintenanceAsync(
        string maintenanceId, IOperatorConsole console, CancellationToken cancellationToken) =>
        await console.GetMaintenanceEventAsync(maintenanceId, cancellationToken) is { } maintenance
            ? TypedResults.Ok(MaintenanceResponse.Of(maintenance))
            : TypedResults.Problem($"Maintenance {maintenanceId:id} does not exist.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Accepted<MaintenanceResponse>> StartMaintenanceAsync(
        string hostId, StartMaintenanceRequest request, IOperatorConsole console, CancellationToken cancellationToken)
    {
        var reason = RequestBody.Required(request.Reason, "reason", $"Give the reason, one of: {StrictEnumConverter.Names<MaintenanceReason>()}.");
        var started = await console.StartMaintenanceAsync(hostId, reason, cancellationToken);
        return TypedResults.Accepted($"/api/operator/maintenance/{started.MaintenanceId}", MaintenanceResponse.Of(started));
    }
}
