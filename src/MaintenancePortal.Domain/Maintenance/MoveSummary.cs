namespace MaintenancePortal.Domain.Maintenance;

/// <summary>
/// One move as the tenant's list of moves shows, filters and sorts it: what a row needs, without
/// the timeline. The move's page reads the whole move from its instance.
/// </summary>
/// <param name="Version">The move's version: an older copy arriving late is dropped.</param>
/// <param name="Sequence">How often the planned start changed (rescheduled, approved, replanned); calendars order updates by it.</param>
/// <param name="PercentComplete">How far a running live migration is.</param>
/// <param name="DowntimeMs">The measured pause of a completed move.</param>
/// <param name="PredictedPause">The pause the planner expects (null when it made no prediction).</param>
/// <param name="PredictedDuration">How long the planner expects the move to take (null when it made no prediction).</param>
/// <param name="Notice">The notice the move owes and how it was given.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveSummary")]
public sealed record MoveSummary(
    [property: Id(0)] string MoveId,
    [property: Id(1)] string MaintenanceId,
    [property: Id(2)] string TenantId,
    [property: Id(3)] string InstanceId,
    [property: Id(4)] string InstanceName,
    [property: Id(5)] string PrivateIp,
    [property: Id(6)] MaintenanceReason Reason,
    [property: Id(7)] MoveAction Action,
    [property: Id(8)] MoveState State,
    [property: Id(9)] string SourceHostId,
    [property: Id(10)] string DestinationHostId,
    [property: Id(11)] DateTimeOffset ScheduledAt,
    [property: Id(12)] DateTimeOffset NotBefore,
    [property: Id(13)] DateTimeOffset LatestStart,
    [property: Id(14)] DateTimeOffset Deadline,
    [property: Id(15)] DateTimeOffset? StartedAt,
    [property: Id(16)] DateTimeOffset? FinishedAt,
    [property: Id(17)] int FailedLiveAttempts,
    [property: Id(18)] bool NeedsReplan,
    [property: Id(19)] string Why,
    [property: Id(20)] double? PercentComplete,
    [property: Id(21)] double? DowntimeMs,
    [property: Id(22)] int Sequence,
    [property: Id(23)] int Version,
    [property: Id(24)] TimeSpan? PredictedPause = null,
    [property: Id(25)] TimeSpan? PredictedDuration = null,
    [property: Id(26)] MoveNotice? Notice = null)
{
    public static MoveSummary Of(InstanceMove m) => new(m.MoveId, m.MaintenanceId, m.TenantId, m.InstanceId, m.Instance.Name,
        m.Instance.PrivateIp, m.Reason, m.Action, m.State, m.SourceHostId, m.DestinationHostId, m.ScheduledAt, m.NotBefore,
        m.LatestStart, m.Deadline, m.StartedAt, m.FinishedAt, m.FailedLiveAttempts, m.NeedsReplan, m.Why,
        m.State == MoveState.Migrating ? m.Progress?.PercentComplete : null, m.Receipt?.DowntimeMs,
        m.History.Count(e => e.Step is MoveStep.Rescheduled or MoveStep.Approved or MoveStep.Replanned), m.Version,
        m.Prediction?.Pause, m.Prediction?.Duration, m.Notice);

    /// <summary>The tenant may still pick its start or approve it.</summary>
    public bool CanBeRescheduled => State == MoveState.Scheduled && !NeedsReplan;
}
