using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Components;

namespace MaintenancePortal.Web.Components.Shared;

/// <summary>
/// A page that shows live data: it loads once, then reloads whenever <see cref="IPortalUpdates"/>
/// says its data changed. Notices that arrive during a reload fold into one more reload.
/// </summary>
public abstract class LivePage : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private bool _reloading;
    private bool _again;

    [Inject]
    public required IPortalUpdates Updates { get; init; }

    /// <summary>Reads what the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Starts listening for changes of one tenant, or of all when null.</summary>
    protected void Listen(string? tenantId)
    {
        _subscription?.Dispose();
        _subscription = Updates.Subscribe(tenantId, () => InvokeAsync(ReloadAsync));
    }

    private async Task ReloadAsync()
    {
        if (_reloading)
        {
            _again = true;
            return;
        }

        _reloading = true;
        try
        {
            do
            {
                _again = false;
                await LoadAsync();
                StateHasChanged();
            }
            while (_again);
        }
        finally
        {
            _reloading = false;
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        GC.SuppressFinalize(this);
    }
}
