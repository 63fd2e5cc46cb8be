using MaintenancePortal.Domain.Draining;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Simulation;

/// <summary>A way of evacuating hosts: the drain rules it decides with, and how its live migrations behave when they cannot converge.</summary>
/// <param name="CopiesUntilAborted">A live migration that cannot converge keeps copying (and holding its share of the link) until its allowance aborts it, rather than giving up at once.</param>
public sealed record EvacuationStrategy(string Name, DrainRules Rules, bool CopiesUntilAborted = false)
{
    /// <summary>MaintenancePortal: the product's own drain rules (the SLA planner, auto-converge, the downtime target, the default limits).</summary>
    public static EvacuationStrategy MaintenancePortal(MaintenanceOptions? options = null) =>
        new("MaintenancePortal", new DrainRules(options ?? new MaintenanceOptions(), new MigrationPolicy()));

    /// <summary>Plain pre-copy with Xen's limits (30 rounds or 3×M sent) and no escalation.</summary>
    public static EvacuationStrategy XenPlainPreCopy(MaintenanceOptions? options = null) =>
        new("Plain pre-copy (Xen limits)", new BaselineRules(options ?? new MaintenanceOptions(), MigrationPolicy.PlainPreCopy, null));

    /// <summary>KubeVirt's defaults: 2 outbound per node, 5 per cluster, abort after 800 s per GiB; no post-copy, no auto-converge.</summary>
    public static EvacuationStrategy KubeVirt(MaintenanceOptions? options = null) =>
        new("KubeVirt defaults", new BaselineRules(Limits(options, outbound: 2, inbound: int.MaxValue, cluster: 5), UntilTimeout,
            TimeSpan.FromSeconds(800)), CopiesUntilAborted: true);

    /// <summary>OpenStack Nova's defaults: one live migration at a time per compute host, abort on its completion timeout (800 s per GiB).</summary>
    public static EvacuationStrategy Nova(MaintenanceOptions? options = null) =>
        new("OpenStack Nova defaults", new BaselineRules(Limits(options, outbound: 1, inbound: 1, cluster: int.MaxValue), UntilTimeout,
            TimeSpan.FromSeconds(800)), CopiesUntilAborted: true);

    /// <summary>Pre-copy without caps: it only gives up on its own once a round leaves all it sent (the remainder cannot shrink).</summary>
    private static MigrationPolicy UntilTimeout { get; } =
        MigrationPolicy.PlainPreCopy with { MaxRounds = int.MaxValue / 2, MaxTransferFactor = double.MaxValue, NotConvergingRatio = 1.0 };

    private static MaintenanceOptions Limits(MaintenanceOptions? options, int outbound, int inbound, int cluster)
    {
        var limits = (options ?? new MaintenanceOptions()).Copy();
        (limits.MaxOutboundPerHost, limits.MaxInboundPerHost, limits.MaxPerCluster) = (outbound, inbound, cluster);
        return limits;
    }
}

/// <summary>
/// The baselines' decision: every instance is live-migrated once the reason's notice has passed,
/// whatever the deadline or the tenant's preferences (no latest start: a live move waits for its
/// slot as long as it takes); a failed attempt is moved by reboot at once, to any host but its source.
/// </summary>
/// <param name="CompletionTimeoutPerGiB">A live migration still running after this much time per GiB of memory (at least 2 GiB) is aborted; null: never.</param>
public sealed record BaselineRules(MaintenanceOptions Options, MigrationPolicy Policy, TimeSpan? CompletionTimeoutPerGiB)
    : DrainRules(Options, Policy)
{
    public override MigrationPolicy PolicyFor(MaintenanceReason reason) => Policy;

    public override MoveDecision Decide(MaintenanceEvent maintenance, InstanceSpec instance, TenantPreferences preferences,
        MigrationPlan prediction, int failedLiveAttempts, DateTimeOffset now) =>
        failedLiveAttempts == 0
            ? new MoveDecision(MoveAction.LiveMigration, now + Profile(maintenance.Reason).LiveNotice, DateTimeOffset.MaxValue, "Live migration.")
            {
                LiveAllowance = CompletionTimeoutPerGiB * Math.Max(2, instance.Size.MemoryMiB / 1024.0),
            }
            : new MoveDecision(MoveAction.RebootMove, now, DateTimeOffset.MaxValue, "Live migration failed: moved by reboot.");

    public override IEnumerable<IReadOnlyCollection<string>> RetryExclusions(string sourceHostId, IReadOnlyList<string> failedDestinations) =>
        [[sourceHostId]];
}
