using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Tenants;

namespace MaintenancePortal.Grains.Instances;

/// <summary>
/// A call to another grain that an instance's change requires: written in the same state write as
/// the change, made after it, and made again until it succeeds (so each is safe to repeat). This is
/// how a crash between the change and the call leaves no host holding an instance that left, no
/// room held for one that will not come, and no tenant view behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp")]
public abstract record FollowUp
{
    public abstract Task ApplyAsync(IGrainFactory grains);
}

/// <summary>The instance arrived: the destination's reservation becomes a placed instance.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.Arrival")]
public sealed record ArrivalFollowUp([property: Id(0)] string HostId, [property: Id(1)] string InstanceId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<IDedicatedHostGrain>(HostId).CompleteArrivalAsync(InstanceId);
}

/// <summary>The instance left: the source lets it go (always after the arrival, so it is never on no host).</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.Departure")]
public sealed record DepartureFollowUp([property: Id(0)] string HostId, [property: Id(1)] string InstanceId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<IDedicatedHostGrain>(HostId).DepartAsync(InstanceId);
}

/// <summary>The instance will not arrive: the room held for it is given back.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.ReservationRelease")]
public sealed record ReservationReleaseFollowUp([property: Id(0)] string HostId, [property: Id(1)] string InstanceId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) =>
        grains.GetGrain<IDedicatedHostGrain>(HostId).CancelReservationAsync(InstanceId);
}

/// <summary>The tenant's view takes the move's new version (older ones arriving late are dropped there).</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.TenantRecord")]
public sealed record TenantRecordFollowUp([property: Id(0)] InstanceMove Move) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<ITenantGrain>(Move.TenantId).RecordMoveAsync(Move);
}
