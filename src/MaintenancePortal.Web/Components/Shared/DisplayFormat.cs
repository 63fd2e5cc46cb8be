using System.Globalization;
using MaintenancePortal.Domain.Maintenance;
using MudBlazor;

namespace MaintenancePortal.Web.Components.Shared;

/// <summary>How the portal writes times and states (sizes and durations: <see cref="MaintenancePortal.Domain.Readable"/>).</summary>
public static class DisplayFormat
{
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
