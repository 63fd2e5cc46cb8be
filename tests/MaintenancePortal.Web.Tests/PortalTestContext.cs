using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace MaintenancePortal.Web.Tests;

/// <summary>
/// A bUnit context with MudBlazor, the real change fan-out, a test tenant portal and webhooks, authorization
/// to set per test, an interactive server renderer, and a longer wait for async UI.
/// </summary>
public abstract class PortalTestContext : BunitContext
{
    protected PortalTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(Updates);
        Services.AddSingleton<IPortalUpdates>(Updates);
        Services.AddSingleton<ITenantPortal>(Portal);
        Services.AddSingleton<ITenantWebhooks>(Webhooks);
        Services.AddSingleton<ITenantNotices>(Notices);
        Services.AddSingleton<IApiKeys>(KeyStore);
        Services.AddSingleton<IAuditTrail>(AuditTrail);
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Moves.Now));
        Auth = AddAuthorization();
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    protected PortalUpdates Updates { get; } = new(NullLogger<PortalUpdates>.Instance);

    protected TestTenantPortal Portal { get; } = new();

    protected TestTenantWebhooks Webhooks { get; } = new();

    protected TestTenantNotices Notices { get; } = new();

    protected TestApiKeys KeyStore { get; } = new();

    protected TestAuditTrail AuditTrail { get; } = new();

    protected BunitAuthorizationContext Auth { get; }

    /// <summary>Signs in as a user of the tenant, as the dev sign-in does.</summary>
    protected void SignInAsTenant(string tenantId, string name)
    {
        Auth.SetAuthorized(name);
        Auth.SetRoles(PortalClaims.TenantRole);
        Auth.SetClaims(new Claim(PortalClaims.TenantId, tenantId));
    }
}
