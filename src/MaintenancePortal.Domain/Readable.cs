using System.Globalization;

namespace MaintenancePortal.Domain;

/// <summary>How sizes and durations read for people, the same in the portal and in notices.</summary>
public static class Readable
{
    private const double GiB = 1024.0 * 1024 * 1024;

    public static string Bytes(long bytes) => bytes >= GiB
        ? (bytes / GiB).ToString("0.0 GiB", CultureInfo.InvariantCulture)
        : (bytes / 1024.0 / 1024).ToString("0 MiB", CultureInfo.InvariantCulture);

    public static string MiB(long mib) => mib >= 1024
        ? (mib / 1024.0).ToString("0.# GiB", CultureInfo.InvariantCulture)
        : mib.ToString("0 MiB", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan duration) => duration.TotalSeconds < 60
        ? duration.TotalSeconds.ToString("0.0 s", CultureInfo.InvariantCulture)
        : duration.ToString(duration.TotalHours < 1 ? @"m\m\ ss\s" : @"h\h\ mm\m", CultureInfo.InvariantCulture);

    /// <summary>A whole number of hours, minutes or seconds, in its largest unit: "2 h", "30 min", "5 s".</summary>
    public static string Step(TimeSpan wait) =>
        wait.TotalHours >= 1 && wait.TotalHours % 1 == 0 ? $"{wait.TotalHours:0} h"
        : wait.TotalMinutes >= 1 && wait.TotalMinutes % 1 == 0 ? $"{wait.TotalMinutes:0} min"
        : wait.TotalSeconds.ToString("0.# s", CultureInfo.InvariantCulture);

    public static string Milliseconds(double ms) => ms.ToString("0.# ms", CultureInfo.InvariantCulture);

    /// <summary>A pause: milliseconds while it is under a second, else as a duration.</summary>
    public static string Pause(TimeSpan pause) => pause < TimeSpan.FromSeconds(1) ? Milliseconds(pause.TotalMilliseconds) : Duration(pause);
}
