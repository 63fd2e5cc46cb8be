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
        api.MapGet("/maintenance/{maintenanceId}", GetMaintenanceAsync);
        api.MapPost("/hosts/{hostId}/maintenance", StartMaintenanceAsync);
        api.MapPost("/maintenance/{maintenanceId}/cancel", (string maintenanceId, IOperatorConsole console, CancellationToken ct) =>
            console.CancelMaintenanceAsync(maintenanceId, ct));
        api.MapPost("/maintenance/{maintenanceId}/complete", (string maintenanceId, IOperatorConsole console, CancellationToken ct) =>
            console.CompleteMaintenanceAsync(maintenanceId, ct));
        api.MapPost("/instances/{instanceId}/abort", async (string instanceId, IOperatorConsole console, CancellationToken ct) =>
        {
            await console.AbortMigrationAsync(instanceId, ct);
            return TypedResults.Accepted($"/api/operator/maintenance");
        });
        api.MapPost("/instances/{instanceId}/force-complete", ForceCompleteAsync);
        return endpoints;
    }

    /// <summary>Body of a force-complete: PauseAndCopy or PostCopy.</summary>
    public sealed record ForceCompleteRequest(ForceCompletion? Mode);

    private static async Task<Results<Accepted, ValidationProblem>> ForceCompleteAsync(string instanceId, ForceCompleteRequest request,
        IOperatorConsole console, CancellationToken cancellationToken)
    {
        if (request.Mode is not { } mode || !Enum.IsDefined(mode))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["mode"] = [$"Mode must be one of: {string.Join(", ", Enum.GetNames<ForceCompletion>())}."],
            });
        }

        await console.ForceCompleteMigrationAsync(instanceId, mode, cancellationToken);
        return TypedResults.Accepted("/api/operator/maintenance");
    }

    /// <summary>Body of a request to start maintenance.</summary>
    /// <param name="Reason">FirmwareUpdate, HardwareReplacement, DegradedHardware, Rebalance or PowerConsolidation.</param>
    public sealed record StartMaintenanceRequest(string? Reason);

    private static async Task<Results<Ok<MaintenanceEvent>, ProblemHttpResult>> GetMaintenanceAsync(
        string maintenanceId, IOperatorConsole console, CancellationToken cancellationToken) =>
        await console.GetMaintenanceEventAsync(maintenanceId, cancellationToken) is { } maintenance
            ? TypedResults.Ok(maintenance)
            : TypedResults.Problem($"Maintenance {maintenanceId} does not exist.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<Results<Accepted<MaintenanceEvent>, ValidationProblem>> StartMaintenanceAsync(
        string hostId, StartMaintenanceRequest request, IOperatorConsole console, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<MaintenanceReason>(request.Reason, ignoreCase: true, out var reason)
            || !Enum.IsDefined(reason) || int.TryParse(request.Reason, out _))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["reason"] = [$"Reason must be one of: {string.Join(", ", Enum.GetNames<MaintenanceReason>())}."],
            });
        }

        var started = await console.StartMaintenanceAsync(hostId, reason, cancellationToken);
        return TypedResults.Accepted($"/api/operator/maintenance/{started.MaintenanceId}", started);
    }
}
