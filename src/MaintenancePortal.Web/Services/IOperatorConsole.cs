using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;

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
}
