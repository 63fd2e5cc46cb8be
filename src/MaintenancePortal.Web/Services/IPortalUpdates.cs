namespace MaintenancePortal.Web.Services;

/// <summary>Tells open pages that something they show has changed, so they read it again.</summary>
public interface IPortalUpdates
{
    /// <summary>
    /// Calls <paramref name="changed"/> after a change for <paramref name="tenantId"/>, or after
    /// any change when it is null (the operator console). Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(string? tenantId, Func<Task> changed);
}
