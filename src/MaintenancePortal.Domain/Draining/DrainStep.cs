using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Domain.Draining;

/// <summary>One thing a drain must do now; the grains carry it out with grain calls, the simulator on its clock.</summary>
public abstract record DrainAction;

/// <summary>Something to do with one instance's move.</summary>
public abstract record DrainMoveAction(string InstanceId) : DrainAction;

/// <summary>Find the instance a destination and schedule its move (it has none yet, or no host had room before).</summary>
public sealed record PlaceInstance(string InstanceId) : DrainMoveAction(InstanceId);

/// <summary>Decide the move again: a failed live attempt gets a new destination, a live move past its latest start a reboot.</summary>
public sealed record ReplanMove(MaintenanceMove Move) : DrainMoveAction(Move.InstanceId);

/// <summary>Abort a live attempt that has used up its allowance; it is then retried elsewhere or moved by reboot in time.</summary>
public sealed record AbortMove(MaintenanceMove Move) : DrainMoveAction(Move.InstanceId)
{
    /// <summary>The attempt's failure, as the tenant reads it.</summary>
    public string Why => $"Aborted: it ran past the {Readable.Duration(Move.LiveAllowance ?? TimeSpan.Zero)} it was given, "
                         + "so it could no longer be sure to finish in time.";
}

/// <summary>Start a move whose time has come; a live one only once it holds <paramref name="Slot"/> (asked for with <paramref name="Priority"/>).</summary>
public sealed record StartMove(MaintenanceMove Move, MigrationSlot? Slot, int Priority) : DrainMoveAction(Move.InstanceId);

/// <summary>Tell the tenant the instance may not be moved within the safety margin before the deadline.</summary>
public sealed record AnnounceAtRisk(string InstanceId, string Why) : DrainAction;

/// <summary>Every instance has moved: the host is empty.</summary>
public sealed record MarkDrained : DrainAction;

/// <summary>
/// The decisions of a drain at one moment: what to do now, in order, and when something next
/// becomes due if nothing changes before (a start time, a latest start, an allowance, the at-risk
/// margin). The maintenance event grain takes a step on every tick and every move it hears of; the
/// simulator at each of its events.
/// </summary>
public sealed record DrainStep(IReadOnlyList<DrainAction> Actions, DateTimeOffset? WakeAt)
{
    public const string NoRoom = "No host of the tenant and no spare has room for the instance.";

    public const string NotInTime = "The instance is not moved within the safety margin before the deadline.";

    /// <param name="atRiskAnnounced">Instances the tenant was already told are at risk.</param>
    public static DrainStep Next(MaintenanceEvent maintenance, IReadOnlySet<string> atRiskAnnounced, DateTimeOffset now, DrainRules rules)
    {
        if (maintenance.State != MaintenanceState.Draining)
        {
            return new DrainStep([], null); // called off (its running moves only finish) or done
        }

        List<DrainAction> actions = [.. maintenance.Unplaced.Select(id => new PlaceInstance(id))];
        actions.AddRange(maintenance.ToReplan(now).Select(m => new ReplanMove(m)));
        actions.AddRange(maintenance.Moves.Values.Where(m => m.IsOverrunning(now)).Select(m => new AbortMove(m)));
        var priority = rules.Profile(maintenance.Reason).Priority;
        actions.AddRange(maintenance.Due(now).Select(m => new StartMove(m,
            m.Action == MoveAction.LiveMigration ? new MigrationSlot(m.MoveId, maintenance.HostId, m.DestinationHostId) : null, priority)));
        actions.AddRange(maintenance.AtRisk(now, rules.Options).Where(id => !atRiskAnnounced.Contains(id))
            .Select(id => new AnnounceAtRisk(id, maintenance.Unplaced.Contains(id) ? NoRoom : NotInTime)));
        if (maintenance.EveryMoveCompleted)
        {
            actions.Add(new MarkDrained());
        }

        return new DrainStep(actions, NextWakeUp(maintenance, atRiskAnnounced, now, rules));
    }

    /// <summary>The first moment after <paramref name="now"/> at which a step would decide something new, if nothing else changes.</summary>
    private static DateTimeOffset? NextWakeUp(MaintenanceEvent maintenance, IReadOnlySet<string> atRiskAnnounced, DateTimeOffset now, DrainRules rules)
    {
        var tick = TimeSpan.FromTicks(1);
        IEnumerable<DateTimeOffset> Candidates()
        {
            foreach (var move in maintenance.Moves.Values)
            {
                switch (move)
                {
                    case { State: MoveState.Scheduled, NeedsReplan: false }:
                        yield return move.NotBefore;
                        if (move.Action == MoveAction.LiveMigration && move.LatestStart < DateTimeOffset.MaxValue)
                        {
                            yield return move.LatestStart + tick;
                        }

                        break;
                    case { State: MoveState.Migrating, Action: MoveAction.LiveMigration, StartedAt: { } started, LiveAllowance: { } allowance }:
                        yield return started + allowance + tick;
                        break;
                }
            }

            var unannounced = maintenance.Unplaced.Concat(maintenance.Moves.Values.Where(m => m.State != MoveState.Completed).Select(m => m.InstanceId))
                .Any(id => !atRiskAnnounced.Contains(id));
            if (unannounced)
            {
                yield return maintenance.Deadline - rules.Options.SafetyMargin + tick;
            }
        }

        var next = Candidates().Where(t => t > now).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return next == DateTimeOffset.MaxValue ? null : next;
    }
}
