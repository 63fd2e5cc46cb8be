using NodaTime;
using NodaTime.Extensions;

namespace MaintenancePortal.Domain.Planning;

/// <summary>How a tenant wants an instance moved.</summary>
public enum MovePreference
{
    /// <summary>Live-migrate whenever the notice allows (the default).</summary>
    LiveMigrate,

    /// <summary>Move by reboot, inside one of my maintenance windows.</summary>
    RebootInWindow,

    /// <summary>Ask me first: wait for my approval until the latest safe time, then go ahead.</summary>
    AskFirst,
}

/// <summary>A weekly maintenance window, in the tenant's time zone (see <see cref="TenantPreferences.TimeZone"/>).</summary>
/// <param name="Start">The local time the window opens on <paramref name="Day"/>.</param>
/// <param name="Length">How long it stays open: at least <see cref="MinLength"/>, at most seven days.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MaintenanceWindow")]
public sealed record MaintenanceWindow(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly Start,
    [property: Id(2)] TimeSpan Length)
{
    /// <summary>The shortest window a tenant can set (as AWS event windows).</summary>
    public static readonly TimeSpan MinLength = TimeSpan.FromHours(2);

    /// <summary>
    /// The earliest time at or after <paramref name="from"/> at which something lasting
    /// <paramref name="duration"/> fits inside an occurrence of this window in <paramref name="zone"/>.
    /// A window that opens at a local time skipped by a clock change opens later by the gap (02:30 becomes 03:30).
    /// </summary>
    public DateTimeOffset? EarliestFit(DateTimeOffset from, TimeSpan duration, DateTimeZone zone)
    {
        if (duration > Length)
        {
            return null;
        }

        var today = Instant.FromDateTimeOffset(from).InZone(zone).Date;
        var daysBack = ((int)today.DayOfWeek.ToDayOfWeek() - (int)Day + 7) % 7;
        // From the occurrence a week before the latest one: a long window may still be open.
        for (var week = -1; week < 3; week++)
        {
            var start = zone.AtLeniently(today.PlusDays(7 * week - daysBack) + LocalTime.FromTimeOnly(Start)).ToDateTimeOffset();
            var earliest = from > start ? from : start;
            if (earliest + duration <= start + Length)
            {
                return earliest.ToUniversalTime();
            }
        }

        return null;
    }
}

/// <summary>What a tenant chose: a default preference, exceptions per instance, and weekly windows.</summary>
/// <param name="TimeZone">The tenant's IANA time zone: its windows are in it, and the portal shows times in it.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.TenantPreferences")]
public sealed record TenantPreferences(
    [property: Id(0)] MovePreference Default,
    [property: Id(1)] IReadOnlyDictionary<string, MovePreference> PerInstance,
    [property: Id(2)] IReadOnlyList<MaintenanceWindow> Windows,
    [property: Id(3)] string TimeZone = TenantPreferences.Utc)
{
    public const string Utc = "UTC";

    /// <summary>Windows a tenant can keep: four a day.</summary>
    public const int MaxWindows = 28;

    public static TenantPreferences None { get; } = new(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(), []);

    /// <summary>
    /// The preferences as given, checked: defined preferences and days only, a window between two
    /// hours and seven days long, at most <see cref="MaxWindows"/> windows, a time zone of the tz
    /// database, exceptions only for the tenant's own instances. A refusal names the field
    /// (<c>windows[2].length</c>).
    /// </summary>
    public static TenantPreferences Create(MovePreference @default, IReadOnlyDictionary<string, MovePreference> perInstance,
        IReadOnlyList<MaintenanceWindow> windows, string timeZone, IReadOnlySet<string> ownInstances)
    {
        Defined(@default, "default");
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(timeZone) is null)
        {
            throw new InvalidRequestException("timeZone", $"'{timeZone}' is not a time zone of the tz database (e.g. Europe/Berlin, America/New_York, UTC).");
        }

        if (perInstance.Keys.FirstOrDefault(id => !ownInstances.Contains(id)) is { } unknown)
        {
            throw new InvalidRequestException($"perInstance.{unknown}", $"You have no instance {unknown}.");
        }

        foreach (var (instanceId, preference) in perInstance)
        {
            Defined(preference, $"perInstance.{instanceId}");
        }

        if (windows.Count > MaxWindows)
        {
            throw new InvalidRequestException("windows", $"At most {MaxWindows} windows.");
        }

        for (var i = 0; i < windows.Count; i++)
        {
            if (!Enum.IsDefined(windows[i].Day))
            {
                throw new InvalidRequestException($"windows[{i}].day", $"The day must be one of: {string.Join(", ", Enum.GetNames<DayOfWeek>())}.");
            }

            if (windows[i].Length < MaintenanceWindow.MinLength || windows[i].Length > TimeSpan.FromDays(7))
            {
                throw new InvalidRequestException($"windows[{i}].length", "A window lasts between 2 hours and 7 days (hh:mm:ss, or d.hh:mm:ss).");
            }
        }

        return new TenantPreferences(@default, perInstance, windows, timeZone);
    }

    private static void Defined(MovePreference preference, string field)
    {
        if (!Enum.IsDefined(preference))
        {
            throw new InvalidRequestException(field, $"A preference is one of: {string.Join(", ", Enum.GetNames<MovePreference>())}.");
        }
    }

    public MovePreference For(string instanceId) => PerInstance.GetValueOrDefault(instanceId, Default);

    /// <summary>The tenant's zone (UTC if the stored name is no longer known to the tz database).</summary>
    public DateTimeZone Zone => DateTimeZoneProviders.Tzdb.GetZoneOrNull(TimeZone) ?? DateTimeZone.Utc;

    /// <summary>The earliest start in any window that fits the duration, within [from, latest]; null when none does.</summary>
    public DateTimeOffset? EarliestWindowStart(DateTimeOffset from, DateTimeOffset latest, TimeSpan duration) =>
        Windows.Select(w => w.EarliestFit(from, duration, Zone)).Where(t => t is not null && t <= latest).Min();
}
