using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Server.Api;

/// <summary>A dedicated host (or a spare, with no tenant): its state, capacity, what it holds and what is reserved on it.</summary>
public sealed record HostResponse(
    string HostId,
    string? TenantId,
    string Family,
    string Zone,
    bool IsSpare,
    HostState State,
    string? MaintenanceId,
    ResourcesResponse Capacity,
    ResourcesResponse Used,
    ResourcesResponse Committed,
    ResourcesResponse Free,
    double MigrationBandwidthMiBps,
    IReadOnlyDictionary<string, ResourcesResponse> Placed,
    IReadOnlyDictionary<string, ResourcesResponse> Reserved)
{
    public static HostResponse Of(DedicatedHost h) => new(h.HostId, h.Spec.TenantId, h.Spec.Family, h.Spec.Zone, h.Spec.IsSpare, h.State,
        h.MaintenanceId, ResourcesResponse.Of(h.Spec.Capacity), ResourcesResponse.Of(h.Used), ResourcesResponse.Of(h.Committed),
        ResourcesResponse.Of(h.Free), h.Spec.MigrationBandwidthMiBps,
        h.Placed.ToDictionary(p => p.Key, p => ResourcesResponse.Of(p.Value)),
        h.Reserved.ToDictionary(p => p.Key, p => ResourcesResponse.Of(p.Value)));
}

/// <summary>One move of a maintenance event, as the operator follows it.</summary>
/// <param name="NotBefore">The earliest it may start: its planned start, or later while its notice period runs.</param>
/// <param name="AwaitingNotice">No channel of the tenant's has delivered its announcement yet: it waits, until its latest start at most.</param>
public sealed record MaintenanceMoveResponse(string MoveId, string InstanceId, string DestinationHostId, MoveState State, MoveAction Action,
    DateTimeOffset NotBefore, DateTimeOffset LatestStart, DateTimeOffset? StartedAt, bool AwaitingNotice)
{
    public static MaintenanceMoveResponse Of(MaintenanceMove m) =>
        new(m.MoveId, m.InstanceId, m.DestinationHostId, m.State, m.Action, m.NotBefore, m.LatestStart, m.StartedAt, m.AwaitingNotice);
}

/// <summary>A maintenance event: the host, why, by when, its moves by instance, and the instances with no room anywhere.</summary>
public sealed record MaintenanceResponse(
    string MaintenanceId,
    string HostId,
    string TenantId,
    MaintenanceReason Reason,
    MaintenanceState State,
    DateTimeOffset TriggeredAt,
    DateTimeOffset Deadline,
    int CompletedMoves,
    IReadOnlyDictionary<string, MaintenanceMoveResponse> Moves,
    IReadOnlyList<string> Unplaced)
{
    public static MaintenanceResponse Of(MaintenanceEvent e) => new(e.MaintenanceId, e.HostId, e.TenantId, e.Reason, e.State, e.TriggeredAt,
        e.Deadline, e.CompletedMoves, e.Moves.ToDictionary(m => m.Key, m => MaintenanceMoveResponse.Of(m.Value)), [.. e.Unplaced]);
}
