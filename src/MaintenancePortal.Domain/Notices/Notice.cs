using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Domain.Notices;

/// <summary>
/// What a tenant's contacts are told about one instance's maintenance: the kind, the move as it
/// stood when the notice was made (none for an instance no host had room for), the receipt of a
/// completed move, and the reason given. Its id is the lifecycle event's id, so an event delivered
/// twice makes the same notice, which a contact takes once.
/// </summary>
/// <param name="Detail">The reason as the tenant reads it: the planner's, the at-risk reason, or why a move was cancelled.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.Notice")]
public sealed record Notice(
    [property: Id(0)] string NoticeId,
    [property: Id(1)] NoticeKind Kind,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string TenantId,
    [property: Id(4)] string InstanceId,
    [property: Id(5)] string MaintenanceId,
    [property: Id(6)] DateTimeOffset Deadline,
    [property: Id(7)] MoveSummary? Move,
    [property: Id(8)] MigrationReceipt? Receipt,
    [property: Id(9)] string Detail)
{
    /// <summary>The kind of a move's announcement: a live migration, or a move by a reboot.</summary>
    public static NoticeKind AnnouncementOf(MoveAction action) =>
        action == MoveAction.RebootMove ? NoticeKind.RebootFallback : NoticeKind.Scheduled;

    /// <summary>A notice about a move.</summary>
    public static Notice Of(Guid eventId, NoticeKind kind, DateTimeOffset occurredAt, MoveSummary move, string detail,
        MigrationReceipt? receipt = null) =>
        new(eventId.ToString("N"), kind, occurredAt, move.TenantId, move.InstanceId, move.MaintenanceId, move.Deadline, move, receipt, detail);

    /// <summary>The notice announces the start of a move: its delivery is the notice the move's notice period counts from.</summary>
    public bool Announces => Kind is NoticeKind.Scheduled or NoticeKind.RebootFallback && Move is not null;

    /// <summary>The instance's name, or its id when no move names it.</summary>
    public string InstanceName => Move?.InstanceName ?? InstanceId;
}
