namespace MaintenancePortal.Domain.Fleet;

/// <summary>Where a host is in its maintenance life.</summary>
public enum HostState
{
    /// <summary>Runs instances and accepts new ones.</summary>
    Available,

    /// <summary>A maintenance event is moving its instances away; accepts none.</summary>
    Draining,

    /// <summary>Empty and out of service, ready for the hardware work; back to <see cref="Available"/> once it is done.</summary>
    Drained,
}
