using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Hypervisors;

/// <summary>
/// Moves instances between hosts on real or simulated hypervisors. Shaped like QEMU's migration
/// commands: start a move with its parameters, then poll its status until it completes or fails.
/// </summary>
public interface IHypervisorDriver
{
    /// <summary>Starts moving the running instance; starting the same migration id again is a no-op.</summary>
    Task StartLiveMigrationAsync(LiveMigrationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Stops the instance on the source and starts it on the destination with the same ID and IP; idempotent by id.</summary>
    Task StartRebootMoveAsync(RebootMoveRequest request, CancellationToken cancellationToken = default);

    /// <summary>Where the move stands; <see cref="MigrationPhase.Unknown"/> when the driver has no record of it.</summary>
    Task<LiveMigrationStatus> GetStatusAsync(string migrationId, CancellationToken cancellationToken = default);

    /// <summary>Cancels a live migration (QEMU's migrate_cancel): the instance keeps running on the source.</summary>
    Task AbortAsync(string migrationId, CancellationToken cancellationToken = default);

    /// <summary>Finishes a live migration now: pause and copy what is left, or switch to post-copy.</summary>
    Task ForceCompleteAsync(string migrationId, ForceCompletion mode, CancellationToken cancellationToken = default);
}

/// <summary>A request to move an instance by stopping and starting it.</summary>
public sealed record RebootMoveRequest(
    string MigrationId,
    InstanceSpec Instance,
    string SourceHostId,
    string DestinationHostId);

/// <summary>A request to move a running instance.</summary>
/// <param name="BandwidthMiBps">The share of the link this migration may use.</param>
/// <param name="Policy">Downtime limit and target, and how to escalate (auto-converge, post-copy).</param>
public sealed record LiveMigrationRequest(
    string MigrationId,
    InstanceSpec Instance,
    string SourceHostId,
    string DestinationHostId,
    double BandwidthMiBps,
    MigrationPolicy Policy);

/// <summary>The phases a live migration goes through.</summary>
public enum MigrationPhase
{
    /// <summary>The driver has no such migration (never started, or lost with its process).</summary>
    Unknown,

    /// <summary>Memory is copied in rounds while the instance runs (throttled once escalated).</summary>
    PreCopy,

    /// <summary>The instance is paused while the last pages (or, for post-copy, only the CPU and device state) are sent.</summary>
    StopAndCopy,

    /// <summary>The instance runs on the destination and pulls its remaining pages on demand.</summary>
    PostCopy,

    /// <summary>A reboot-based move: the instance is stopped on the source and starting on the destination.</summary>
    Rebooting,

    /// <summary>The instance runs on the destination with all its memory.</summary>
    Completed,

    /// <summary>The migration stopped; the instance still runs on the source.</summary>
    Failed,
}

/// <summary>A migration's status as the driver sees it.</summary>
public sealed record LiveMigrationStatus(
    MigrationPhase Phase,
    MigrationProgress? Progress = null,
    MigrationOutcome? Result = null,
    string? Error = null);
