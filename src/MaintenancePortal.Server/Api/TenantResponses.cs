using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Migration;
using MaintenancePortal.Domain.Planning;

namespace MaintenancePortal.Server.Api;

/// <summary>CPU and memory.</summary>
public sealed record ResourcesResponse(int VCpus, long MemoryMiB)
{
    public static ResourcesResponse Of(Resources r) => new(r.VCpus, r.MemoryMiB);
}

/// <summary>The instance a move is about, as its tenant knows it.</summary>
public sealed record InstanceResponse(string InstanceId, string Name, string Family, ResourcesResponse Size, string PrivateIp)
{
    public static InstanceResponse Of(InstanceSpec i) => new(i.InstanceId, i.Name, i.Family, ResourcesResponse.Of(i.Size), i.PrivateIp);
}

/// <summary>A running live migration: the pre-copy round, bytes sent and left, the guest's dirty rate, the expected pause, the throttle.</summary>
public sealed record ProgressResponse(int Round, long BytesSent, long RemainingBytes, double DirtyRateMiBps, double ExpectedDowntimeMs,
    double PercentComplete, double ThrottlePercent)
{
    public static ProgressResponse? Of(MigrationProgress? p) => p is null
        ? null
        : new(p.Round, p.BytesSent, p.RemainingBytes, p.DirtyRateMiBps, p.ExpectedDowntimeMs, p.PercentComplete, p.ThrottlePercent);
}

/// <summary>What a finished move did: the pause, the time, the rounds, and the ID and IP before and after.</summary>
public sealed record ReceiptResponse(MigrationMethod? Method, double DowntimeMs, TimeSpan TotalTime, int Rounds, long BytesTransferred,
    string InstanceIdBefore, string InstanceIdAfter, string PrivateIpBefore, string PrivateIpAfter, double MaxThrottlePercent)
{
    public static ReceiptResponse? Of(MigrationReceipt? r) => r is null
        ? null
        : new(r.Method, r.DowntimeMs, r.TotalTime, r.Rounds, r.BytesTransferred, r.InstanceIdBefore, r.InstanceIdAfter, r.PrivateIpBefore,
            r.PrivateIpAfter, r.MaxThrottlePercent);
}

/// <summary>One of the tenant's moves: what, why, when (the notice, the latest start, the deadline), how it goes, and its receipt.</summary>
public sealed record MoveResponse(
    string MoveId,
    string MaintenanceId,
    string InstanceId,
    InstanceResponse Instance,
    MaintenanceReason Reason,
    MoveAction Action,
    string Why,
    MoveState State,
    string SourceHostId,
    string DestinationHostId,
    DateTimeOffset ScheduledAt,
    DateTimeOffset NotBefore,
    DateTimeOffset LatestStart,
    DateTimeOffset Deadline,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int FailedLiveAttempts,
    string? FailureReason,
    ProgressResponse? Progress,
    ReceiptResponse? Receipt,
    IReadOnlyList<MoveStepResponse> History,
    NoticeResponse? Notice,
    DateTimeOffset EarliestStart)
{
    public static MoveResponse Of(InstanceMove m) => new(m.MoveId, m.MaintenanceId, m.InstanceId, InstanceResponse.Of(m.Instance), m.Reason,
        m.Action, m.Why, m.State, m.SourceHostId, m.DestinationHostId, m.ScheduledAt, m.NotBefore, m.LatestStart, m.Deadline, m.StartedAt,
        m.FinishedAt, m.FailedLiveAttempts, m.FailureReason, ProgressResponse.Of(m.Progress), ReceiptResponse.Of(m.Receipt),
        [.. m.History.Select(MoveStepResponse.Of)], NoticeResponse.Of(m.Notice), m.EarliestStart);
}

/// <summary>
/// The notice a move owes and how it was given: the period it counts (from <paramref name="GivenAt"/>), and
/// the channel and address (absent while no channel has delivered the announcement).
/// </summary>
public sealed record NoticeResponse(TimeSpan Period, DateTimeOffset? GivenAt, NoticeChannel? Channel, string? To)
{
    public static NoticeResponse? Of(MoveNotice? n) => n is null ? null : new(n.Period, n.GivenAt, n.Channel, n.To);
}

/// <summary>One step of a move's timeline; a <c>Round</c> carries the pre-copy round's last report, a step that plans the start carries it.</summary>
public sealed record MoveStepResponse(DateTimeOffset At, MoveStep Step, int Attempt, string? HostId, string? Detail, ProgressResponse? Progress,
    DateTimeOffset? Start)
{
    public static MoveStepResponse Of(MoveHistoryEntry e) =>
        new(e.At, e.Step, e.Attempt, e.HostId, e.Detail, ProgressResponse.Of(e.Progress), e.Start == DateTimeOffset.MaxValue ? null : e.Start);
}

/// <summary>A move in the tenant's list: enough to filter, sort and show a row; the whole move is at <c>/api/tenant/migrations/{moveId}</c>.</summary>
public sealed record MoveSummaryResponse(
    string MoveId,
    string MaintenanceId,
    string InstanceId,
    string InstanceName,
    string PrivateIp,
    MaintenanceReason Reason,
    MoveAction Action,
    MoveState State,
    string Why,
    string SourceHostId,
    string DestinationHostId,
    DateTimeOffset ScheduledAt,
    DateTimeOffset NotBefore,
    DateTimeOffset LatestStart,
    DateTimeOffset Deadline,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int FailedLiveAttempts,
    double? PercentComplete,
    double? DowntimeMs)
{
    public static MoveSummaryResponse Of(MoveSummary m) => new(m.MoveId, m.MaintenanceId, m.InstanceId, m.InstanceName, m.PrivateIp, m.Reason,
        m.Action, m.State, m.Why, m.SourceHostId, m.DestinationHostId, m.ScheduledAt, m.NotBefore, m.LatestStart, m.Deadline, m.StartedAt,
        m.FinishedAt, m.FailedLiveAttempts, m.PercentComplete, m.DowntimeMs);
}

/// <summary>Moves by state.</summary>
public sealed record MoveCountsResponse(int Scheduled, int Migrating, int Completed, int Failed, int Cancelled, int Total)
{
    public static MoveCountsResponse Of(MoveCounts c) => new(c.Scheduled, c.Migrating, c.Completed, c.Failed, c.Cancelled, c.Total);
}

/// <summary>A maintenance event the moves of a page belong to: why, the host, the deadline, and its moves by state.</summary>
public sealed record MaintenanceGroupResponse(string MaintenanceId, MaintenanceReason Reason, string HostId, DateTimeOffset Deadline,
    MoveCountsResponse Moves)
{
    public static MaintenanceGroupResponse Of(MaintenanceGroup g) => new(g.MaintenanceId, g.Reason, g.HostId, g.Deadline, MoveCountsResponse.Of(g.Counts));
}

/// <summary>A page of moves, their maintenance events, the tenant's counts, and the cursor of the next page (absent at the end).</summary>
public sealed record MovePageResponse(IReadOnlyList<MoveSummaryResponse> Moves, IReadOnlyList<MaintenanceGroupResponse> Groups,
    MoveCountsResponse Counts, string? Next)
{
    public static MovePageResponse Of(MovePage p) =>
        new([.. p.Moves.Select(MoveSummaryResponse.Of)], [.. p.Groups.Select(MaintenanceGroupResponse.Of)], MoveCountsResponse.Of(p.Counts), p.Next);
}

/// <summary>A weekly window: day, start (local time in the preferences' zone) and length.</summary>
public sealed record WindowResponse(DayOfWeek Day, TimeOnly Start, TimeSpan Length);

/// <summary>How the tenant wants its instances moved, its time zone and its windows.</summary>
public sealed record PreferencesResponse(MovePreference Default, IReadOnlyDictionary<string, MovePreference> PerInstance,
    string TimeZone, IReadOnlyList<WindowResponse> Windows)
{
    public static PreferencesResponse Of(TenantPreferences p) =>
        new(p.Default, p.PerInstance, p.TimeZone, [.. p.Windows.Select(w => new WindowResponse(w.Day, w.Start, w.Length))]);
}

/// <summary>An instance's metadata address: under it, <c>/metadata/scheduledevents</c> (Azure) and <c>/latest/...</c> (AWS IMDSv2).</summary>
public sealed record MetadataAddressResponse(string InstanceId, string BaseAddress)
{
    public static MetadataAddressResponse Of(HttpRequest request, string instanceId, string token) =>
        new(instanceId, $"{request.Scheme}://{request.Host}{request.PathBase}/imds/{token}");
}

/// <summary>The address of a tenant's calendar feed (secret: whoever has it reads the tenant's maintenance).</summary>
public sealed record CalendarAddressResponse(string Address)
{
    public static CalendarAddressResponse Of(HttpRequest request, string token) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}/calendar/{token}.ics");
}
