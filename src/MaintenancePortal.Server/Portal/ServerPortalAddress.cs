using MaintenancePortal.Notices;
using MaintenancePortal.Notices.Delivery;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Portal;

/// <summary>
/// The portal's address for links in notices: <c>MaintenancePortal:Notices:PortalUrl</c> when set
/// (the address tenants reach, behind any proxy), else the first address this server listens on.
/// </summary>
public sealed class ServerPortalAddress(IOptions<NoticeOptions> options, IServer server) : IPortalAddress
{
    private Uri? _base;

    public Uri Base => _base ??= WithSlash(options.Value.PortalUrl
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.Select(a => new Uri(a)).FirstOrDefault()
        ?? throw new InvalidOperationException("The server listens nowhere yet; set MaintenancePortal:Notices:PortalUrl."));

    private static Uri WithSlash(Uri address) =>
        address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
}
