using MaintenancePortal.Domain.Fleet;

namespace MaintenancePortal.Grains.Fleet;

/// <summary>A physical host, keyed by host id. Holds its capacity ledger and maintenance state.</summary>
public interface IDedicatedHostGrain : IGrainWithStringKey
{
    /// <summary>Creates the host with its first instances; a no-op when it already exists.</summary>
    Task InitializeAsync(DedicatedHostSpec spec, IReadOnlyList<InstanceSpec> instances);

    /// <summary>The host, or null when no such host exists.</summary>
    Task<DedicatedHost?> GetAsync();

    /// <summary>Stops the host accepting instances for the given maintenance event.</summary>
    Task<DedicatedHost> BeginMaintenanceAsync(string maintenanceId);

    /// <summary>Holds room for an incoming instance; false when the host cannot take it.</summary>
    Task<bool> TryReserveAsync(string instanceId, Resources size);

    /// <summary>Gives back room held for a move that will not arrive; a no-op when none is held.</summary>
    Task CancelReservationAsync(string instanceId);

    /// <summary>Turns the reservation into a placed instance.</summary>
    Task CompleteArrivalAsync(string instanceId);

    /// <summary>Removes an instance that moved away.</summary>
    Task DepartAsync(string instanceId);

    /// <summary>Marks an empty host under maintenance as drained.</summary>
    Task CompleteDrainAsync();

    /// <summary>The host's maintenance was called off: it accepts instances again (a no-op once it does).</summary>
    Task CancelMaintenanceAsync(string maintenanceId);

    /// <summary>The work on the drained host is done: it accepts instances again (a no-op once it does).</summary>
    Task ReturnToServiceAsync(string maintenanceId);

    /// <summary>Gives a spare host to a tenant as a replacement host.</summary>
    Task<DedicatedHost> AssignToAsync(string tenantId);
}
