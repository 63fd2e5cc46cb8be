using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Simulation;

/// <summary>
/// A way of evacuating hosts, for the simulator: how each live migration runs, how many run at
/// once, and what happens when one cannot finish.
/// </summary>
/// <param name="Options">Concurrency limits, notices, reboot duration and safety margins.</param>
/// <param name="CompletionTimeoutPerGiB">A live migration still running after this much time per GiB of memory is aborted (KubeVirt: 800 s).</param>
/// <param name="UsesPlanner">True: the SLA planner decides (notice, windows, live or reboot, retries elsewhere, fallback in time).
/// False: every instance is live-migrated after the notice and a failed one is moved by reboot at once.</param>
public sealed record EvacuationStrategy(
    string Name,
    MigrationPolicy Policy,
    MaintenanceOptions Options,
    TimeSpan? CompletionTimeoutPerGiB,
    bool UsesPlanner)
{
    /// <summary>MaintenancePortal: the SLA planner with auto-converge, the downtime target and the default limits.</summary>
    public static EvacuationStrategy MaintenancePortal(MaintenanceOptions? options = null) =>
        new("MaintenancePortal", new MigrationPolicy(), options ?? new MaintenanceOptions(), null, UsesPlanner: true);

    /// <summary>Plain pre-copy with Xen's limits (30 rounds, 3×M) and no escalation.</summary>
    public static EvacuationStrategy XenPlainPreCopy(MaintenanceOptions? options = null) =>
        new("Plain pre-copy (Xen limits)", MigrationPolicy.PlainPreCopy, options ?? new MaintenanceOptions(), null, UsesPlanner: false);

    /// <summary>KubeVirt's defaults: 2 outbound per node, 5 per cluster, abort after 800 s per GiB; no post-copy, no auto-converge.</summary>
    public static EvacuationStrategy KubeVirt(MaintenanceOptions? options = null) =>
        new("KubeVirt defaults", MigrationPolicy.PlainPreCopy with { MaxRounds = int.MaxValue / 2, MaxTransferFactor = double.MaxValue },
            Limits(options, outbound: 2, inbound: int.MaxValue, cluster: 5), TimeSpan.FromSeconds(800), UsesPlanner: false);

    /// <summary>OpenStack Nova's defaults: one live migration at a time per compute host, abort on its completion timeout (800 s per GiB).</summary>
    public static EvacuationStrategy Nova(MaintenanceOptions? options = null) =>
        new("OpenStack Nova defaults", MigrationPolicy.PlainPreCopy with { MaxRounds = int.MaxValue / 2, MaxTransferFactor = double.MaxValue },
            Limits(options, outbound: 1, inbound: 1, cluster: int.MaxValue), TimeSpan.FromSeconds(800), UsesPlanner: false);

    private static MaintenanceOptions Limits(MaintenanceOptions? options, int outbound, int inbound, int cluster)
    {
        var o = options ?? new MaintenanceOptions();
        return new MaintenanceOptions
        {
            CompletionSla = o.CompletionSla, LiveMigrationNotice = o.LiveMigrationNotice, UrgentNotice = o.UrgentNotice,
            RebootNotice = o.RebootNotice, RebootDuration = o.RebootDuration, SafetyMargin = o.SafetyMargin,
            PredictionSafetyFactor = o.PredictionSafetyFactor, MaxLiveAttempts = o.MaxLiveAttempts,
            MaxOutboundPerHost = outbound, MaxInboundPerHost = inbound, MaxPerCluster = cluster,
        };
    }
}
