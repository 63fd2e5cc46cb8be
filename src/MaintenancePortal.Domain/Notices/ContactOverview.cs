using System.Collections.Immutable;

namespace MaintenancePortal.Domain.Notices;

/// <summary>A contact's settings as the tenant gives them; checked by <see cref="NoticeContact.Create"/>.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.ContactSettings")]
public sealed record ContactSettings(
    [property: Id(0)] string? Address,
    [property: Id(1)] ImmutableArray<NoticeKind> Kinds,
    [property: Id(2)] NoticeCadence Cadence,
    [property: Id(3)] int DigestHour,
    [property: Id(4)] string? TimeZone);

/// <summary>A contact as the portal and the API show it: its settings and state, what waits, and the delivery log.</summary>
/// <param name="InDigest">Notices gathered for the next digest.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.ContactOverview")]
public sealed record ContactOverview(
    [property: Id(0)] NoticeContact Contact,
    [property: Id(1)] int Waiting,
    [property: Id(2)] int InDigest,
    [property: Id(3)] DateTimeOffset? NextDigestAt,
    [property: Id(4)] ImmutableList<MailRecord> Log);
