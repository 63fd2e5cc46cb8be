using MaintenancePortal.Domain.Maintenance;
using Orleans.Concurrency;

namespace MaintenancePortal.Grains.Maintenance;

/// <summary>
/// One host's maintenance, keyed by maintenance id. Places every instance on the host, has the SLA
/// planner decide how and when each moves, starts moves within the migration slots, replans failed
/// or late live moves, and marks the host drained when all have moved. A reminder keeps checking
/// the deadlines even when no timer runs.
/// </summary>
public interface IMaintenanceEventGrain : IGrainWithStringKey
{
    /// <summary>Triggers maintenance of the host; calling it again returns the event as it stands.</summary>
    Task<MaintenanceEvent> StartAsync(string hostId, MaintenanceReason reason);

    /// <summary>The event, or null when it was never started.</summary>
    Task<MaintenanceEvent?> GetAsync();

    /// <summary>Calls the maintenance off: moves not started are cancelled, running ones finish, the host takes instances again.</summary>
    Task<MaintenanceEvent> CancelAsync();

    /// <summary>The work on the drained host is done: it returns to service.</summary>
    Task<MaintenanceEvent> CompleteAsync();

    /// <summary>An instance's move changed (sent by the instance; fire and forget).</summary>
    [OneWay]
    Task OnMoveChangedAsync(InstanceMove move);

    /// <summary>An instance that was on its way when the maintenance began arrived on the host (sent by the host; fire and forget).</summary>
    [OneWay]
    Task OnInstanceArrivedAsync(string instanceId);
}
