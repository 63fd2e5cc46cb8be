using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace MaintenancePortal.Domain.Planning;

/// <summary>
/// Times as a tenant reads and writes them: local to its zone. What a browser's date-time picker
/// sends (<c>2026-11-29T03:00</c>, or with seconds) and what a person types (a space for the
/// <c>T</c>, seconds or not, an offset or <c>Z</c> to say another zone) are all read; a local
/// time a clock change makes ambiguous is the earlier one, one it skips is later by the gap.
/// </summary>
public static class TenantTime
{
    private static readonly LocalDateTimePattern[] LocalPatterns =
    [
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss"),
        LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFF"),
    ];

    private static readonly OffsetDateTimePattern[] OffsetPatterns =
    [
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mmo<Z+HH:mm>"),
        OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'ss.FFFFFFFo<Z+HH:mm>"),
    ];

    /// <summary>The time as a <c>datetime-local</c> input shows it in the zone: <c>yyyy-MM-ddTHH:mm</c>.</summary>
    public static string ToInput(DateTimeOffset time, DateTimeZone zone) =>
        LocalPatterns[0].Format(Instant.FromDateTimeOffset(time).InZone(zone).LocalDateTime);

    /// <summary>A time for people: local date and time and the zone's abbreviation (<c>2026-11-29 03:00 CET</c>).</summary>
    public static string Show(DateTimeOffset time, DateTimeZone zone)
    {
        var local = Instant.FromDateTimeOffset(time).InZone(zone);
        return local.LocalDateTime.ToString("uuuu'-'MM'-'dd HH':'mm", CultureInfo.InvariantCulture) + " " + local.GetZoneInterval().Name;
    }

    /// <summary>Reads a time given in the zone (or with its own offset); anything else is refused, naming the field.</summary>
    public static DateTimeOffset Parse(string? text, DateTimeZone zone, string field)
    {
        var normalized = text?.Trim() is { Length: >= 16 and <= 40 } t ? (t[10] == ' ' ? t[..10] + "T" + t[11..].TrimStart() : t) : null;
        if (normalized is not null)
        {
            foreach (var pattern in LocalPatterns)
            {
                if (pattern.Parse(normalized) is { Success: true } local)
                {
                    return zone.AtLeniently(local.Value).ToDateTimeOffset().ToUniversalTime();
                }
            }

            foreach (var pattern in OffsetPatterns)
            {
                if (pattern.Parse(normalized) is { Success: true } offset)
                {
                    return offset.Value.ToDateTimeOffset().ToUniversalTime();
                }
            }
        }

        throw new InvalidRequestException(field, $"Give a date and time like 2026-11-29 03:00 (in {zone.Id}), or with an offset: 2026-11-29T03:00Z.");
    }
}
