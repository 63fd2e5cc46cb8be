using System.Collections.Immutable;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Maintenance;
using MaintenancePortal.Grains.Tenants;
using Microsoft.Extensions.Logging;

namespace MaintenancePortal.Grains.Outbox;

/// <summary>
/// A call to another grain that a change requires: written in the same state write as the change,
/// made after it, and made again until it succeeds, so each is safe to repeat. This is how a crash
/// between a change and its calls leaves no host holding an instance that left, no room or slot
/// held for a move that will not use it, and no tenant view behind.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp")]
public abstract record FollowUp
{
    public abstract Task ApplyAsync(IGrainFactory grains);

    /// <summary>
    /// The outbox of follow-ups a grain keeps. A grain that refuses a follow-up for a rule (a
    /// <see cref="DomainException"/>) will refuse it every time: it is logged and dropped, so it
    /// holds up nothing behind it. Any other failure keeps it, to be made again.
    /// </summary>
    public static GrainOutbox<FollowUp> Outbox(IGrainFactory grains, ILogger logger,
        Func<ImmutableList<FollowUp>> read, Action<ImmutableList<FollowUp>> set) =>
        new(async followUp =>
        {
            try
            {
                await followUp.ApplyAsync(grains);
            }
            catch (DomainException ex)
            {
                FollowUpLog.Refused(logger, followUp.ToString(), ex.Message);
            }
        }, read, set);
}

internal static partial class FollowUpLog
{
    [LoggerMessage(LogLevel.Warning, "Follow-up {FollowUp} was refused and is dropped: {Reason}")]
    public static partial void Refused(ILogger logger, string followUp, string reason);
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

/// <summary>The tenant's moves take the move's new version (older ones arriving late are dropped there).</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.TenantRecord")]
public sealed record TenantRecordFollowUp([property: Id(0)] MoveSummary Move) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<ITenantMovesGrain>(Move.TenantId).RecordAsync([Move]);
}

/// <summary>The move no longer migrates: its live migration slot is given back.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.SlotRelease")]
public sealed record SlotReleaseFollowUp([property: Id(0)] string MoveId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) =>
        grains.GetGrain<IMigrationSlotsGrain>(MigrationSlotsGrainKey.Default).ReleaseAsync(MoveId);
}

/// <summary>The maintenance was called off: the instance's move that has not started is cancelled (a no-op once it is).</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.MoveCancellation")]
public sealed record MoveCancellationFollowUp([property: Id(0)] string InstanceId, [property: Id(1)] string MoveId, [property: Id(2)] string Why)
    : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<IInstanceGrain>(InstanceId).CancelMoveAsync(MoveId, Why);
}

/// <summary>The maintenance was called off: the host accepts instances again.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.HostMaintenanceCancellation")]
public sealed record HostMaintenanceCancellationFollowUp([property: Id(0)] string HostId, [property: Id(1)] string MaintenanceId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) =>
        grains.GetGrain<IDedicatedHostGrain>(HostId).CancelMaintenanceAsync(MaintenanceId);
}

/// <summary>The work on the drained host is done: it returns to service.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.HostReturnToService")]
public sealed record HostReturnToServiceFollowUp([property: Id(0)] string HostId, [property: Id(1)] string MaintenanceId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) =>
        grains.GetGrain<IDedicatedHostGrain>(HostId).ReturnToServiceAsync(MaintenanceId);
}

/// <summary>A spare taken out of the pool becomes the tenant's host.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.SpareAssignment")]
public sealed record SpareAssignmentFollowUp([property: Id(0)] string HostId, [property: Id(1)] string TenantId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<IDedicatedHostGrain>(HostId).AssignToAsync(TenantId);
}

/// <summary>The tenant's list of hosts takes a replacement host.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.TenantHost")]
public sealed record TenantHostFollowUp([property: Id(0)] string TenantId, [property: Id(1)] string HostId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) => grains.GetGrain<ITenantGrain>(TenantId).AddHostAsync(HostId);
}

/// <summary>The fleet's index lists the maintenance event, so operators find it.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.FollowUp.FleetMaintenance")]
public sealed record FleetMaintenanceFollowUp([property: Id(0)] string MaintenanceId) : FollowUp
{
    public override Task ApplyAsync(IGrainFactory grains) =>
        grains.GetGrain<IFleetGrain>(FleetGrainKey.Default).AddMaintenanceAsync(MaintenanceId);
}
