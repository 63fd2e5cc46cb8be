namespace MaintenancePortal.Contracts;

/// <summary>
/// What every lifecycle event carries. Consumers subscribe to this interface to see every event;
/// they de-duplicate by <see cref="EventId"/>, which stays the same on every redelivery.
/// </summary>
public interface IMaintenanceLifecycleEvent
{
    /// <summary>Stable id of this occurrence.</summary>
    Guid EventId { get; }

    /// <summary>When it happened.</summary>
    DateTimeOffset OccurredAt { get; }

    /// <summary>The tenant it concerns; a tenant only ever receives its own events.</summary>
    string TenantId { get; }

    /// <summary>The maintenance event it belongs to.</summary>
    string MaintenanceId { get; }

    /// <summary>The instance or host it is about.</summary>
    string Subject { get; }
}
