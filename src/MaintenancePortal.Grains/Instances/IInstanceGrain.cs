using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;
using Orleans.Concurrency;

namespace MaintenancePortal.Grains.Instances;

/// <summary>
/// A tenant's instance, keyed by instance id: where it runs and its moves. It runs its own move,
/// reading progress from the hypervisor until the move completes or the live attempt fails.
/// </summary>
public interface IInstanceGrain : IGrainWithStringKey
{
    /// <summary>Creates the instance on its first host; a no-op when it already exists.</summary>
    Task InitializeAsync(InstanceSpec spec, string hostId);

    /// <summary>
    /// The instance, or null when no such instance exists. A read that may interleave with a
    /// running call: the tenant reads its instances while activating, and an instance may be
    /// waiting on that very tenant.
    /// </summary>
    [AlwaysInterleave]
    Task<InstanceView?> GetAsync();

    /// <summary>Records and announces a scheduled move; the same move again is a no-op.</summary>
    Task ScheduleMoveAsync(InstanceMove move);

    /// <summary>
    /// Starts the scheduled move: a live migration on the given bandwidth share and policy, or a
    /// reboot-based move. Starting a move that already runs is a no-op. Returns the move as it now stands.
    /// </summary>
    Task<InstanceMove> StartMoveAsync(string moveId, double bandwidthMiBps, MigrationPolicy policy);

    /// <summary>Applies a new decision (and destination) to a move that has not started, and announces it; returns the replanned move.</summary>
    /// <param name="awaitNotice">A move that changes how it is made owes a new notice, counted from its first delivery.</param>
    Task<InstanceMove> ReplanMoveAsync(string moveId, MoveDecision decision, string destinationHostId, bool awaitNotice = false);

    /// <summary>
    /// A channel delivered the announcement of a move (<paramref name="action"/>: how it was to be made):
    /// the move's notice period counts from the first such delivery; later ones change nothing.
    /// </summary>
    Task NoticeGivenAsync(string moveId, MoveAction action, DateTimeOffset at, NoticeChannel channel, string to);

    /// <summary>The tenant moves the start of a move that has not started: from now up to its latest start.</summary>
    Task<InstanceMove> RescheduleMoveAsync(string moveId, DateTimeOffset start);

    /// <summary>The tenant approves a move that has not started: it starts now.</summary>
    Task<InstanceMove> ApproveMoveAsync(string moveId);

    /// <summary>Calls off a move that has not started; the instance stays where it is. Returns the cancelled move.</summary>
    Task<InstanceMove> CancelMoveAsync(string moveId, string why);

    /// <summary>
    /// Aborts the running live attempt; the move is then replanned (another host, or a reboot). The
    /// attempt's failure is recorded with <paramref name="why"/> once the hypervisor reports it stopped.
    /// </summary>
    Task AbortMoveAsync(string moveId, string why);

    /// <summary>The token of the instance's metadata address, made on first use.</summary>
    Task<string> GetMetadataTokenAsync();

    /// <summary>Gives the instance a new metadata token; the old one answers nothing from then on. Returns the new one.</summary>
    Task<string> RotateMetadataTokenAsync();

    /// <summary>Finishes the running live attempt now, by pausing and copying what is left or by switching to post-copy.</summary>
    Task ForceCompleteMoveAsync(string moveId, ForceCompletion mode);
}

/// <summary>An instance, where it runs, its moves (oldest first), and its metadata token (null until one is made).</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.InstanceView")]
public sealed record InstanceView(
    [property: Id(0)] InstanceSpec Spec,
    [property: Id(1)] string HostId,
    [property: Id(2)] IReadOnlyList<InstanceMove> Moves,
    [property: Id(3)] string? MetadataToken = null);
