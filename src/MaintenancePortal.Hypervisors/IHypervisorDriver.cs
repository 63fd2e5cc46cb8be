using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Hypervisors;

/// <summary>
/// Drives live migrations on real or simulated hypervisors. Shaped like QEMU's migration
/// commands: start a migration, then poll its status until it completes or fails.
/// </summary>
public interface IHypervisorDriver
{
    /// <summary>Starts moving the instance; starting the same migration id again is a no-op.</summary>
    Task StartLiveMigrationAsync(LiveMigrationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Where the migration stands; <see cref="MigrationPhase.Unknown"/> when the driver has no record of it.</summary>
    Task<LiveMigrationStatus> GetLiveMigrationStatusAsync(string migrationId, CancellationToken cancellationToken = default);
}

/// <summary>A request to move a running instance.</summary>
/// <param name="BandwidthMiBps">The share of the link this migration may use.</param>
public sealed record LiveMigrationRequest(
    string MigrationId,
    InstanceSpec Instance,
    string SourceHostId,
    string DestinationHostId,
    double BandwidthMiBps);

/// <summary>The phases a live migration goes through.</summary>
public enum MigrationPhase
{
    /// <summary>The driver has no such migration (never started, or lost with its process).</summary>
    Unknown,

    /// <summary>Memory is copied in rounds while the instance runs.</summary>
    PreCopy,

    /// <summary>The instance is paused while the last pages and CPU state are sent.</summary>
    StopAndCopy,

    /// <summary>The instance runs on the destination.</summary>
    Completed,

    /// <summary>The migration stopped; the instance still runs on the source.</summary>
    Failed,
}

/// <summary>What the destination reports once the instance runs there.</summary>
public sealed record LiveMigrationResult(
    double DowntimeMs,
    int Rounds,
    long BytesTransferred,
    string InstanceIdOnDestination,
    string PrivateIpOnDestination);

/// <summary>A migration's status as the driver sees it.</summary>
public sealed record LiveMigrationStatus(
    MigrationPhase Phase,
    MigrationProgress? Progress = null,
    LiveMigrationResult? Result = null,
    string? Error = null);
