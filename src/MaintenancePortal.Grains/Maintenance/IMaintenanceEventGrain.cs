using MaintenancePortal.Domain.Maintenance;
using Orleans.Concurrency;

namespace MaintenancePortal.Grains.Maintenance;

/// <summary>
/// One host's maintenance, keyed by maintenance id. Places and schedules every instance on the
/// host, starts moves within the outbound limit, and marks the host drained when all have moved.
/// </summary>
public interface IMaintenanceEventGrain : IGrainWithStringKey
{
    /// <summary>Triggers maintenance of the host; calling it again returns the event as it stands.</summary>
    Task<MaintenanceEvent> StartAsync(string hostId, MaintenanceReason reason);

    /// <summary>The event, or null when it was never started.</summary>
    Task<MaintenanceEvent?> GetAsync();

    /// <summary>An instance's move changed state (sent by the instance; fire and forget).</summary>
    [OneWay]
    Task OnMoveChangedAsync(string instanceId, MoveState state);
}
