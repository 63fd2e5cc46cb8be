using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Draining;

/// <summary>
/// How a drain decides for one instance: the reason's profile, the migration policy it runs with,
/// the bandwidth a migration counts on, the prediction, the decision and where a replanned move may
/// go. The grains and the simulator both decide with these; a baseline the benchmark compares
/// against overrides the decision and the retry rule, nothing else.
/// </summary>
public record DrainRules(MaintenanceOptions Options, MigrationPolicy Policy)
{
    public ReasonProfile Profile(MaintenanceReason reason) => ReasonProfile.For(reason, Options);

    /// <summary>The policy a live migration for this reason runs with: post-copy where the reason allows it.</summary>
    public virtual MigrationPolicy PolicyFor(MaintenanceReason reason)
    {
        var postCopy = Profile(reason).PostCopy;
        return postCopy == PostCopyMode.Never ? Policy : Policy with { PostCopy = postCopy };
    }

    /// <summary>What one live migration may count on from its source's link: the link shared at the outbound limit.</summary>
    public double BandwidthShareMiBps(double linkMiBps) => linkMiBps / Math.Max(1, Options.MaxOutboundPerHost);

    /// <summary>The migration model's plan for a live move of the instance on its bandwidth share.</summary>
    public MigrationPlan Predict(InstanceSpec instance, double shareMiBps, MaintenanceReason reason) =>
        MigrationModel.Plan(MigrationWorkload.Of(instance), shareMiBps * MigrationWorkload.MiB, PolicyFor(reason));

    /// <summary>How and when to move the instance: the SLA planner, with the tenant's preferences.</summary>
    /// <param name="prediction">The model's plan for a live move (an attempt that ran to its end is the better one after it).</param>
    public virtual MoveDecision Decide(MaintenanceEvent maintenance, InstanceSpec instance, TenantPreferences preferences,
        MigrationPlan prediction, int failedLiveAttempts, DateTimeOffset now) =>
        SlaPlanner.Decide(new MoveContext(now, maintenance.Deadline, Profile(maintenance.Reason), preferences.For(instance.InstanceId),
            preferences, prediction, failedLiveAttempts), Options);

    /// <summary>
    /// The hosts a move whose live attempt failed may not go to, tried in turn: first neither its
    /// source nor any host an attempt failed on; when none of the others has room, any but the source.
    /// </summary>
    public virtual IEnumerable<IReadOnlyCollection<string>> RetryExclusions(string sourceHostId, IReadOnlyList<string> failedDestinations) =>
        [[sourceHostId, .. failedDestinations], [sourceHostId]];
}
