using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Web.Services;

/// <summary>What the operator console reads and does.</summary>
public interface IOperatorConsole
{
    /// <summary>Every host of the fleet, spares included, ordered by id.</summary>
    Task<IReadOnlyList<DedicatedHost>> GetHostsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every maintenance event, newest first.</summary>
    Task<IReadOnlyList<MaintenanceEvent>> GetMaintenanceEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>One maintenance event, or null when there is none with that id.</summary>
    Task<MaintenanceEvent?> GetMaintenanceEventAsync(string maintenanceId, CancellationToken cancellationToken = default);

    /// <summary>Starts maintenance on a host; its instances will be moved away.</summary>
    Task<MaintenanceEvent> StartMaintenanceAsync(string hostId, MaintenanceReason reason, CancellationToken cancellationToken = default);

    /// <summary>Calls a maintenance off: moves not started are cancelled, running ones finish.</summary>
    Task<MaintenanceEvent> CancelMaintenanceAsync(string maintenanceId, CancellationToken cancellationToken = default);

    /// <summary>The work on a drained host is done: it returns to service.</summary>
    Task<MaintenanceEvent> CompleteMaintenanceAsync(string maintenanceId, CancellationToken cancellationToken = default);

    /// <summary>Aborts an instance's running live migration; it is then retried elsewhere or rebooted.</summary>
    Task AbortMigrationAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Finishes an instance's running live migration now.</summary>
    Task ForceCompleteMigrationAsync(string instanceId, ForceCompletion mode, CancellationToken cancellationToken = default);
}
