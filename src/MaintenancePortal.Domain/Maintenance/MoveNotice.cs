namespace MaintenancePortal.Domain.Maintenance;

/// <summary>How the tenant was told of a move.</summary>
public enum NoticeChannel
{
    /// <summary>The move appeared in the portal and the metadata service (a tenant with no e-mail contact and no webhook endpoint), or the tenant acted on it there.</summary>
    Portal,

    /// <summary>An e-mail notice was accepted by the relay for one of the tenant's contacts.</summary>
    Email,

    /// <summary>A webhook endpoint of the tenant's acknowledged the announcement (2xx).</summary>
    Webhook,
}

/// <summary>
/// The notice a move owes before it may start (docs/notices.md, "Notice that counts"): the notice
/// period counts from when notice was actually given, not from when the move was planned.
/// </summary>
/// <param name="Period">How long before the start the tenant must have been told (the reason's live notice, or the reboot notice).</param>
/// <param name="GivenAt">When notice was first given; null while no channel has delivered it.</param>
/// <param name="Channel">How it was given.</param>
/// <param name="To">Where: the contact's address, the endpoint, or the portal.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveNotice")]
public sealed record MoveNotice(
    [property: Id(0)] TimeSpan Period,
    [property: Id(1)] DateTimeOffset? GivenAt,
    [property: Id(2)] NoticeChannel? Channel,
    [property: Id(3)] string? To)
{
    /// <summary>
    /// The notice of a move as planned: for a tenant with a channel that delivers notices, it waits for
    /// the first delivery; for one with none, it is given now, in the portal and the metadata service.
    /// </summary>
    public static MoveNotice Planned(TimeSpan period, bool awaitDelivery, DateTimeOffset now) =>
        awaitDelivery ? new MoveNotice(period, null, null, null) : new MoveNotice(period, now, NoticeChannel.Portal, "portal");

    /// <summary>The tenant chose the start itself (rescheduled or approved it in the portal or the API): it needs no further notice.</summary>
    public static MoveNotice ChosenByTenant(DateTimeOffset now) => new(TimeSpan.Zero, now, NoticeChannel.Portal, "you");

    public bool IsGiven => GivenAt is not null;

    /// <summary>How it was given, as the tenant reads it.</summary>
    public string HowGiven => Channel switch
    {
        NoticeChannel.Email => $"by e-mail to {To}",
        NoticeChannel.Webhook => $"acknowledged by webhook endpoint {To}",
        NoticeChannel.Portal when To == "you" => "by you, in the portal",
        NoticeChannel.Portal => "in the portal and the metadata service",
        _ => "not yet",
    };

    /// <summary>The earliest the notice lets the move start; null while it is not given.</summary>
    public DateTimeOffset? CountsFrom => GivenAt + Period;
}

/// <summary>A message that announces a move: its delivery is notice given for the move as then planned.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveAnnouncement")]
public sealed record MoveAnnouncement(
    [property: Id(0)] string InstanceId,
    [property: Id(1)] string MoveId,
    [property: Id(2)] MoveAction Action);
