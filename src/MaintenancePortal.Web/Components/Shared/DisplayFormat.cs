using System.Globalization;
using MaintenancePortal.Domain.Maintenance;
using MudBlazor;

namespace MaintenancePortal.Web.Components.Shared;

/// <summary>How the portal writes sizes, durations and times.</summary>
public static class DisplayFormat
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

    public static string Milliseconds(double ms) => ms.ToString("0.# ms", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static Color StateColor(MoveState state) => state switch
    {
        MoveState.Scheduled => Color.Info,
        MoveState.Migrating => Color.Warning,
        MoveState.Completed => Color.Success,
        MoveState.Failed => Color.Error,
        _ => Color.Default,
    };
}
