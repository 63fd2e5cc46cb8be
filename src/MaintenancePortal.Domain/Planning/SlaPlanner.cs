using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;

namespace MaintenancePortal.Domain.Planning;

/// <summary>What the planner knows when it decides how and when to move one instance.</summary>
/// <param name="LivePrediction">The migration model's plan for a live move of this instance on its bandwidth share.</param>
/// <param name="FailedLiveAttempts">Live attempts that already failed (each retry goes to another destination).</param>
public sealed record MoveContext(
    DateTimeOffset Now,
    DateTimeOffset Deadline,
    ReasonProfile Reason,
    MovePreference Preference,
    TenantPreferences Tenant,
    MigrationPlan LivePrediction,
    int FailedLiveAttempts = 0);

/// <summary>How and when to move an instance, the latest it may start, and why.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveDecision")]
public sealed record MoveDecision(
    [property: Id(0)] MoveAction Action,
    [property: Id(1)] DateTimeOffset NotBefore,
    [property: Id(2)] DateTimeOffset LatestStart,
    [property: Id(3)] string Why)
{
    /// <summary>What the planner expects the move to cost the tenant: the pause, and the whole move (unknown when not set).</summary>
    [Id(4)]
    public MovePrediction? Prediction { get; init; }

    /// <summary>How long before the start the tenant must have been told: the reason's live notice, the reboot notice, or none for a live retry.</summary>
    [Id(5)]
    public TimeSpan NoticePeriod { get; init; }

    /// <summary>How long a live attempt is given before it is aborted (null: never; a reboot has none).</summary>
    [Id(6)]
    public TimeSpan? LiveAllowance { get; init; }
}

/// <summary>The pause the instance is expected to see (the final copy of a live move, the whole of a reboot) and how long the move takes.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MovePrediction")]
public sealed record MovePrediction([property: Id(0)] TimeSpan Pause, [property: Id(1)] TimeSpan Duration);

/// <summary>
/// The SLA planner: every instance of a maintenance event is moved before its deadline, live when
/// the model says a live move converges and fits, otherwise by a reboot-based move announced with
/// notice and placed where it still finishes in time.
/// </summary>
/// <remarks>
/// Time is budgeted backwards from the deadline: a safety margin, then the reboot itself, then its
/// notice, then the live migration's allowance (its predicted duration times a safety factor). A
/// live move that starts by its latest start can therefore still fail and fall back to a reboot
/// with full notice before the deadline.
/// </remarks>
public static class SlaPlanner
{
    /// <summary>The latest a reboot-based move may start and still finish a safety margin before the deadline.</summary>
    public static DateTimeOffset LatestRebootStart(DateTimeOffset deadline, MaintenanceOptions options) =>
        deadline - options.SafetyMargin - options.RebootDuration;

    /// <summary>How long a live migration is given before it counts as overrunning.</summary>
    public static TimeSpan LiveAllowance(MigrationPlan prediction, MaintenanceOptions options) =>
        prediction.TotalTime * options.PredictionSafetyFactor;

    /// <summary>The latest a live migration may start and still leave time to fall back to a reboot with notice.</summary>
    public static DateTimeOffset LatestLiveStart(DateTimeOffset deadline, MigrationPlan prediction, MaintenanceOptions options) =>
        LatestRebootStart(deadline, options) - options.RebootNotice - LiveAllowance(prediction, options);

    /// <summary>The decision, with what it is expected to cost the tenant (as guest agents and calendars show it).</summary>
    public static MoveDecision Decide(MoveContext context, MaintenanceOptions options)
    {
        var decision = DecideHowAndWhen(context, options);
        return decision with
        {
            NoticePeriod = decision.Action == MoveAction.RebootMove ? options.RebootNotice : LiveNotice(context),
            Prediction = decision.Action == MoveAction.LiveMigration
                ? new MovePrediction(context.LivePrediction.Downtime, context.LivePrediction.TotalTime)
                : new MovePrediction(options.RebootDuration, options.RebootDuration),
            LiveAllowance = decision.Action == MoveAction.LiveMigration ? LiveAllowance(context.LivePrediction, options) : null,
        };
    }

    private static MoveDecision DecideHowAndWhen(MoveContext context, MaintenanceOptions options)
    {
        if (context.Preference == MovePreference.RebootInWindow)
        {
            return Reboot(context, options, "You asked for a reboot in a maintenance window.");
        }

        if (!context.LivePrediction.Succeeded)
        {
            return Reboot(context, options, "A live migration cannot converge for this workload. " + context.LivePrediction.FailureReason);
        }

        if (context.FailedLiveAttempts >= options.MaxLiveAttempts)
        {
            return Reboot(context, options, $"Live migration failed {context.FailedLiveAttempts} times.");
        }

        var latest = LatestLiveStart(context.Deadline, context.LivePrediction, options);
        var earliest = context.Now + LiveNotice(context);
        if (earliest > latest)
        {
            return Reboot(context, options, "A live migration could no longer finish, with room to fall back, before the deadline.");
        }

        if (context.Preference == MovePreference.AskFirst)
        {
            return new MoveDecision(MoveAction.LiveMigration, latest, latest,
                "Waiting for your approval; it starts on its own at the latest safe time.");
        }

        var inWindow = context.Tenant.EarliestWindowStart(earliest, latest, LiveAllowance(context.LivePrediction, options));
        return inWindow is { } start
            ? new MoveDecision(MoveAction.LiveMigration, start, latest, "Live migration in your maintenance window.")
            : new MoveDecision(MoveAction.LiveMigration, earliest, latest,
                context.FailedLiveAttempts == 0 ? "Live migration." : "Live migration, retried on another host.");
    }

    /// <summary>The notice a live move is announced with; a retry on another host was announced already.</summary>
    private static TimeSpan LiveNotice(MoveContext context) => context.FailedLiveAttempts == 0 ? context.Reason.LiveNotice : TimeSpan.Zero;

    private static MoveDecision Reboot(MoveContext context, MaintenanceOptions options, string why)
    {
        var latest = LatestRebootStart(context.Deadline, options);
        var earliest = context.Now + options.RebootNotice;
        if (earliest > latest)
        {
            // Too late for full notice and the margin: move as soon as the notice allows.
            return new MoveDecision(MoveAction.RebootMove, earliest, earliest, why + " The deadline is at risk.");
        }

        if (context.Tenant.EarliestWindowStart(earliest, latest, options.RebootDuration) is { } window)
        {
            return new MoveDecision(MoveAction.RebootMove, window, latest, why + " Rebooted in your maintenance window.");
        }

        return context.Reason.RebootTiming == RebootTiming.Earliest
            ? new MoveDecision(MoveAction.RebootMove, earliest, latest, why + " Rebooted as soon as the notice allows.")
            : new MoveDecision(MoveAction.RebootMove, latest, latest, why + " Rebooted as late as still finishes in time; you may stop and start it yourself before.");
    }
}
