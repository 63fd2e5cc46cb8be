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
    ReceiptResponse? Receipt)
{
    public static MoveResponse Of(InstanceMove m) => new(m.MoveId, m.MaintenanceId, m.InstanceId, InstanceResponse.Of(m.Instance), m.Reason,
        m.Action, m.Why, m.State, m.SourceHostId, m.DestinationHostId, m.ScheduledAt, m.NotBefore, m.LatestStart, m.Deadline, m.StartedAt,
        m.FinishedAt, m.FailedLiveAttempts, m.FailureReason, ProgressResponse.Of(m.Progress), ReceiptResponse.Of(m.Receipt));
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
