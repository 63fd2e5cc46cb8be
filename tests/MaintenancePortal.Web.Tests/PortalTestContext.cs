using Bunit;
using MaintenancePortal.Web.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>A bUnit context with MudBlazor, the real change fan-out, and a longer wait for async UI.</summary>
public abstract class PortalTestContext : BunitContext
{
    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Updates);
        Services.AddSingleton<IPortalUpdates>(Updates);
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected PortalUpdates Updates { get; } = new(NullLogger<PortalUpdates>.Instance);
}
