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

/// <summary>A weekly maintenance window, in UTC.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MaintenanceWindow")]
public sealed record MaintenanceWindow(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly StartUtc,
    [property: Id(2)] TimeSpan Length)
{
    /// <summary>
    /// The earliest time at or after <paramref name="from"/> at which something lasting
    /// <paramref name="duration"/> fits inside an occurrence of this window.
    /// </summary>
    public DateTimeOffset? EarliestFit(DateTimeOffset from, TimeSpan duration)
    {
        if (duration > Length)
        {
            return null;
        }

        from = from.ToUniversalTime();
        var daysBack = ((int)from.DayOfWeek - (int)Day + 7) % 7;
        var start = new DateTimeOffset(from.Date.AddDays(-daysBack) + StartUtc.ToTimeSpan(), TimeSpan.Zero);
        for (var week = 0; week < 3; week++, start = start.AddDays(7))
        {
            var earliest = from > start ? from : start;
            if (earliest + duration <= start + Length)
            {
                return earliest;
            }
        }

        return null;
    }
}

/// <summary>What a tenant chose: a default preference, exceptions per instance, and weekly windows.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.TenantPreferences")]
public sealed record TenantPreferences(
    [property: Id(0)] MovePreference Default,
    [property: Id(1)] IReadOnlyDictionary<string, MovePreference> PerInstance,
    [property: Id(2)] IReadOnlyList<MaintenanceWindow> Windows)
{
    /// <summary>Windows a tenant can keep: four a day.</summary>
    public const int MaxWindows = 28;

    public static TenantPreferences None { get; } = new(MovePreference.LiveMigrate, new Dictionary<string, MovePreference>(), []);

    /// <summary>
    /// The preferences as given, checked: defined preferences and days only, a window between one
    /// second and seven days long, at most <see cref="MaxWindows"/> windows, exceptions only for
    /// the tenant's own instances. A refusal names the field (<c>windows[2].length</c>).
    /// </summary>
    public static TenantPreferences Create(MovePreference @default, IReadOnlyDictionary<string, MovePreference> perInstance,
        IReadOnlyList<MaintenanceWindow> windows, IReadOnlySet<string> ownInstances)
    {
        Defined(@default, "default");
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

            if (windows[i].Length <= TimeSpan.Zero || windows[i].Length > TimeSpan.FromDays(7))
            {
                throw new InvalidRequestException($"windows[{i}].length", "A window lasts between 1 second and 7 days (hh:mm:ss, or d.hh:mm:ss).");
            }
        }

        return new TenantPreferences(@default, perInstance, windows);
    }

    private static void Defined(MovePreference preference, string field)
    {
        if (!Enum.IsDefined(preference))
        {
            throw new InvalidRequestException(field, $"A preference is one of: {string.Join(", ", Enum.GetNames<MovePreference>())}.");
        }
    }

    public MovePreference For(string instanceId) => PerInstance.GetValueOrDefault(instanceId, Default);

    /// <summary>The earliest start in any window that fits the duration, within [from, latest]; null when none does.</summary>
    public DateTimeOffset? EarliestWindowStart(DateTimeOffset from, DateTimeOffset latest, TimeSpan duration) =>
        Windows.Select(w => w.EarliestFit(from, duration)).Where(t => t is not null && t <= latest).Min();
}
