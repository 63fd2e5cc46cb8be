using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Fleet;

/// <summary>
/// A host and what it holds. Every change goes through a method that guards the rules:
/// capacity is never oversubscribed (placed plus reserved never exceeds capacity), a host under
/// maintenance accepts nothing, and a host is drained only when empty.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.DedicatedHost")]
public sealed record DedicatedHost(
    [property: Id(0)] DedicatedHostSpec Spec,
    [property: Id(1)] HostState State,
    [property: Id(2)] ImmutableSortedDictionary<string, Resources> Placed,
    [property: Id(3)] ImmutableSortedDictionary<string, Resources> Reserved,
    [property: Id(4)] string? MaintenanceId)
{
    public static DedicatedHost Create(DedicatedHostSpec spec) =>
        new(spec, HostState.Available, ImmutableSortedDictionary<string, Resources>.Empty,
            ImmutableSortedDictionary<string, Resources>.Empty, null);

    public string HostId => Spec.HostId;

    public Resources Used => Placed.Values.Aggregate(Resources.None, (a, b) => a + b);

    public Resources Committed => Used + Reserved.Values.Aggregate(Resources.None, (a, b) => a + b);

    public Resources Free => Spec.Capacity - Committed;

    public bool CanAccept(Resources size) => State == HostState.Available && Free.Covers(size);

    /// <summary>Puts an instance on the host directly (fleet seeding and reboot-based moves).</summary>
    public DedicatedHost Place(string instanceId, Resources size)
    {
        if (Placed.ContainsKey(instanceId))
        {
            return this;
        }

        EnsureRoom(instanceId, size);
        return this with { Placed = Placed.Add(instanceId, size) };
    }

    /// <summary>Holds room for an incoming move so no other move can take it.</summary>
    public DedicatedHost Reserve(string instanceId, Resources size)
    {
        if (Reserved.ContainsKey(instanceId) || Placed.ContainsKey(instanceId))
        {
            throw new DomainException($"Instance {instanceId} already has room on host {HostId}.");
        }

        EnsureRoom(instanceId, size);
        return this with { Reserved = Reserved.Add(instanceId, size) };
    }

    /// <summary>Gives back room reserved for a move that will not arrive; a no-op when none is held.</summary>
    public DedicatedHost CancelReservation(string instanceId) =>
        Reserved.ContainsKey(instanceId) ? this with { Reserved = Reserved.Remove(instanceId) } : this;

    /// <summary>The move arrived: the reservation becomes a placed instance.</summary>
    public DedicatedHost CompleteArrival(string instanceId)
    {
        if (Placed.ContainsKey(instanceId))
        {
            return this;
        }

        if (!Reserved.TryGetValue(instanceId, out var size))
        {
            throw new DomainException($"Host {HostId} has no reservation for instance {instanceId}.");
        }

        return this with { Reserved = Reserved.Remove(instanceId), Placed = Placed.Add(instanceId, size) };
    }

    /// <summary>The instance left for another host.</summary>
    public DedicatedHost Depart(string instanceId) => this with { Placed = Placed.Remove(instanceId) };

    /// <summary>Starts a maintenance event: the host stops accepting instances.</summary>
    public DedicatedHost BeginMaintenance(string maintenanceId)
    {
        if (MaintenanceId == maintenanceId)
        {
            return this;
        }

        if (State != HostState.Available)
        {
            throw new DomainException($"Host {HostId} is already {State} for maintenance {MaintenanceId}.");
        }

        if (Spec.IsSpare)
        {
            throw new DomainException($"Host {HostId} is a spare with no tenant instances; nothing to drain.");
        }

        return this with { State = HostState.Draining, MaintenanceId = maintenanceId };
    }

    /// <summary>Every instance has left: the host is out of service.</summary>
    public DedicatedHost CompleteDrain()
    {
        if (State == HostState.Drained)
        {
            return this;
        }

        if (State != HostState.Draining || !Placed.IsEmpty || !Reserved.IsEmpty)
        {
            throw new DomainException($"Host {HostId} still holds {Placed.Count} instance(s); it cannot be drained yet.");
        }

        return this with { State = HostState.Drained };
    }

    /// <summary>The maintenance was called off: the host accepts instances again (a no-op once it does).</summary>
    public DedicatedHost CancelMaintenance(string maintenanceId)
    {
        if (MaintenanceId != maintenanceId)
        {
            return this;
        }

        if (State != HostState.Draining)
        {
            throw new DomainException($"Host {HostId} is {State}; only a draining host's maintenance can be cancelled.");
        }

        return this with { State = HostState.Available, MaintenanceId = null };
    }

    /// <summary>The hardware work is done: the drained host returns to service, empty (a no-op once it has).</summary>
    public DedicatedHost ReturnToService(string maintenanceId)
    {
        if (MaintenanceId != maintenanceId)
        {
            return this;
        }

        if (State != HostState.Drained)
        {
            throw new DomainException($"Host {HostId} is {State}; only a drained host returns to service.");
        }

        return this with { State = HostState.Available, MaintenanceId = null };
    }

    /// <summary>Hands a spare host to a tenant as a replacement host (a no-op once it is that tenant's).</summary>
    public DedicatedHost AssignTo(string tenantId)
    {
        if (Spec.TenantId == tenantId)
        {
            return this;
        }

        if (!Spec.IsSpare)
        {
            throw new DomainException($"Host {HostId} already belongs to tenant {Spec.TenantId}.");
        }

        return this with { Spec = Spec with { TenantId = tenantId } };
    }

    private void EnsureRoom(string instanceId, Resources size)
    {
        if (!CanAccept(size))
        {
            throw new DomainException(State == HostState.Available
                ? $"Host {HostId} has no room for instance {instanceId} ({size.VCpus} vCPU, {size.MemoryMiB} MiB; free {Free.VCpus} vCPU, {Free.MemoryMiB} MiB)."
                : $"Host {HostId} is {State} and accepts no instance.");
        }
    }
}
