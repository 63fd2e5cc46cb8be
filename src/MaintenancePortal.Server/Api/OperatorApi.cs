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
        api.MapGet("/hosts", (IOperatorConsole console, CancellationToken ct) => console.GetHostsAsync(ct));
        api.MapGet("/maintenance", (IOperatorConsole console, CancellationToken ct) => console.GetMaintenanceEventsAsync(ct));
        api.MapGet("/maintenance/{maintenanceId:id}", GetMaintenanceAsync);
        api.MapPost("/hosts/{hostId:id}/maintenance", StartMaintenanceAsync);
        api.MapPost("/maintenance/{maintenanceId:id}/cancel", (string maintenanceId, IOperatorConsole console, CancellationToken ct) =>
            console.CancelMaintenanceAsync(maintenanceId, ct));
        api.MapPost("/maintenance/{maintenanceId:id}/complete", (string maintenanceId, IOperatorConsole console, CancellationToken ct) =>
            console.CompleteMaintenanceAsync(maintenanceId, ct));
        api.MapPost("/instances/{instanceId:id}/abort", async (string instanceId, IOperatorConsole console, CancellationToken ct) =>
        {
            await console.AbortMigrationAsync(instanceId, ct);
            return TypedResults.Accepted($"/api/operator/maintenance");
        });
        api.MapPost("/instances/{instanceId:id}/force-complete", ForceCompleteAsync);
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

    private static async Task<Results<Ok<MaintenanceEvent>, ProblemHttpResult>> GetMaintenanceAsync(
        string maintenanceId, IOperatorConsole console, CancellationToken cancellationToken) =>
        await console.GetMaintenanceEventAsync(maintenanceId, cancellationToken) is { } maintenance
            ? TypedResults.Ok(maintenance)
            : TypedResults.Problem($"Maintenance {maintenanceId:id} does not exist.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Accepted<MaintenanceEvent>> StartMaintenanceAsync(
        string hostId, StartMaintenanceRequest request, IOperatorConsole console, CancellationToken cancellationToken)
    {
        var reason = RequestBody.Required(request.Reason, "reason", $"Give the reason, one of: {StrictEnumConverter.Names<MaintenanceReason>()}.");
        var started = await console.StartMaintenanceAsync(hostId, reason, cancellationToken);
        return TypedResults.Accepted($"/api/operator/maintenance/{started.MaintenanceId}", started);
    }
}
