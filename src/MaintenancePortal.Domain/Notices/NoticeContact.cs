using System.Collections.Immutable;
using System.Net.Mail;
using MaintenancePortal.Domain.Planning;
using NodaTime;

namespace MaintenancePortal.Domain.Notices;

/// <summary>What a notice is about (docs/notices.md).</summary>
public enum NoticeKind
{
    /// <summary>A live migration was scheduled.</summary>
    Scheduled,

    /// <summary>A move will be made by a reboot (planned so, or fallen back to it).</summary>
    RebootFallback,

    /// <summary>A move may not finish before its deadline.</summary>
    SlaAtRisk,

    /// <summary>A move completed: its receipt.</summary>
    Completed,

    /// <summary>A move or a whole maintenance was called off.</summary>
    Cancelled,
}

/// <summary>How notice kinds read for people, the same in the portal and in the notices.</summary>
public static class NoticeKinds
{
    public static string Describe(this NoticeKind kind) => kind switch
    {
        NoticeKind.Scheduled => "Live migration scheduled",
        NoticeKind.RebootFallback => "Reboot-based move scheduled",
        NoticeKind.SlaAtRisk => "Deadline at risk",
        NoticeKind.Completed => "Moved (the receipt)",
        _ => "Cancelled",
    };
}

/// <summary>When a contact gets its notices.</summary>
public enum NoticeCadence
{
    /// <summary>Each as it happens.</summary>
    Immediate,

    /// <summary>Once a day, at the contact's hour in its zone.</summary>
    Digest,
}

/// <summary>Where a contact stands.</summary>
public enum ContactState
{
    /// <summary>A confirmation link was sent; nothing else is.</summary>
    Unconfirmed,

    Confirmed,

    /// <summary>The relay refused the address for good (5xx): nothing is sent until it is confirmed again.</summary>
    Bounced,

    /// <summary>The address asked for no more notices.</summary>
    Unsubscribed,
}

/// <summary>
/// An e-mail address of a tenant's that gets the notices it chose, at once or in a daily digest at a
/// local hour. Immutable: each transition returns the next version.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.NoticeContact")]
public sealed record NoticeContact(
    [property: Id(0)] string ContactId,
    [property: Id(1)] string TenantId,
    [property: Id(2)] string Address,
    [property: Id(3)] ImmutableArray<NoticeKind> Kinds,
    [property: Id(4)] NoticeCadence Cadence,
    [property: Id(5)] int DigestHour,
    [property: Id(6)] string TimeZone,
    [property: Id(7)] ContactState State,
    [property: Id(8)] DateTimeOffset CreatedAt,
    [property: Id(9)] DateTimeOffset? ConfirmedAt,
    [property: Id(10)] string? StateReason)
{
    /// <summary>The longest address SMTP carries (RFC 5321: 254 characters in a path).</summary>
    public const int MaxAddressLength = 254;

    /// <summary>
    /// A new contact, unconfirmed, as given and checked: a plain address (no display name), kinds that
    /// exist, each once, at least one; an hour from 0 to 23; a zone of the tz database. A refusal names
    /// the field.
    /// </summary>
    public static NoticeContact Create(string contactId, string tenantId, string? address, IReadOnlyList<NoticeKind>? kinds,
        NoticeCadence cadence, int digestHour, string? timeZone, DateTimeOffset now)
    {
        if (address is null || address.Length is 0 or > MaxAddressLength || !MailAddress.TryCreate(address, out var parsed)
            || parsed.Address != address || !string.IsNullOrEmpty(parsed.DisplayName))
        {
            throw new InvalidRequestException("address", $"Give a plain e-mail address (name@example.com), at most {MaxAddressLength} characters.");
        }

        if (kinds is null || kinds.Count == 0)
        {
            throw new InvalidRequestException("kinds", $"Choose at least one of: {string.Join(", ", Enum.GetNames<NoticeKind>())}.");
        }

        for (var i = 0; i < kinds.Count; i++)
        {
            if (!Enum.IsDefined(kinds[i]) || kinds.Take(i).Contains(kinds[i]))
            {
                throw new InvalidRequestException($"kinds[{i}]", $"Each kind once, one of: {string.Join(", ", Enum.GetNames<NoticeKind>())}.");
            }
        }

        if (!Enum.IsDefined(cadence))
        {
            throw new InvalidRequestException("cadence", $"The cadence is one of: {string.Join(", ", Enum.GetNames<NoticeCadence>())}.");
        }

        if (digestHour is < 0 or > 23)
        {
            throw new InvalidRequestException("digestHour", "Give the hour of the digest, 0 to 23, in the contact's time zone.");
        }

        if (timeZone is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is null)
        {
            throw new InvalidRequestException("timeZone", $"'{timeZone}' is not a time zone of the tz database (e.g. Europe/Berlin, UTC).");
        }

        return new NoticeContact(contactId, tenantId, address, [.. kinds], cadence, digestHour, timeZone, ContactState.Unconfirmed, now, null, null);
    }

    /// <summary>New settings, checked as a new contact's are; a changed address must be confirmed again.</summary>
    public NoticeContact Change(string? address, IReadOnlyList<NoticeKind>? kinds, NoticeCadence cadence, int digestHour, string? timeZone)
    {
        var changed = Create(ContactId, TenantId, address, kinds, cadence, digestHour, timeZone, CreatedAt);
        return changed.Address == Address ? changed with { State = State, ConfirmedAt = ConfirmedAt, StateReason = StateReason } : changed;
    }

    /// <summary>The address proved it is reachable and wanted (the confirmation link was followed).</summary>
    public NoticeContact Confirm(DateTimeOffset now) => State switch
    {
        ContactState.Confirmed => this,
        ContactState.Unsubscribed => throw new DomainException($"{Address} unsubscribed; add it again to get notices."),
        _ => this with { State = ContactState.Confirmed, ConfirmedAt = now, StateReason = null },
    };

    /// <summary>The relay refused the address for good: nothing more is sent to it until it is confirmed again.</summary>
    public NoticeContact Bounce(string reason) => this with { State = ContactState.Bounced, StateReason = reason };

    /// <summary>The address asked for no more notices (a one-click unsubscribe); asking again changes nothing.</summary>
    public NoticeContact Unsubscribe() =>
        State == ContactState.Unsubscribed ? this : this with { State = ContactState.Unsubscribed, StateReason = "Unsubscribed from a notice." };

    /// <summary>Whether the contact is sent a notice of this kind now.</summary>
    public bool Takes(NoticeKind kind) => State == ContactState.Confirmed && Kinds.Contains(kind);

    /// <summary>When the next digest is due after <paramref name="after"/>: the contact's hour in its zone (a skipped hour comes later by the gap).</summary>
    public DateTimeOffset NextDigestAt(DateTimeOffset after)
    {
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? DateTimeZone.Utc;
        var today = Instant.FromDateTimeOffset(after).InZone(zone).Date;
        for (var day = today; ; day = day.PlusDays(1))
        {
            var due = zone.AtLeniently(day + new LocalTime(DigestHour, 0)).ToDateTimeOffset().ToUniversalTime();
            if (due > after)
            {
                return due;
            }
        }
    }

    /// <summary>A time as the contact reads it: in its zone.</summary>
    public string Show(DateTimeOffset time) => TenantTime.Show(time, DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? DateTimeZone.Utc);
}
