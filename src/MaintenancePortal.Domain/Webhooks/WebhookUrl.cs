using System.Net;

namespace MaintenancePortal.Domain.Webhooks;

/// <summary>
/// What a webhook URL must be: absolute, https (http only where insecure URLs are allowed, for
/// local development and tests), no user name or password, and not a literal address deliveries
/// may not reach. Names are checked again on the address they resolve to, at connect time.
/// </summary>
public static class WebhookUrl
{
    public const int MaxLength = 2048;

    /// <param name="allowInsecure">Allows http and loopback receivers (local development and tests).</param>
    public static Uri Parse(string? url, bool allowInsecure)
    {
        if (string.IsNullOrWhiteSpace(url) || url.Length > MaxLength
            || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri))
        {
            throw new InvalidRequestException("url", $"Give the endpoint's URL as an absolute https:// URL of at most {MaxLength} characters.");
        }

        if (uri.Scheme != Uri.UriSchemeHttps && !(allowInsecure && uri.Scheme == Uri.UriSchemeHttp))
        {
            throw new InvalidRequestException("url", allowInsecure
                ? "The endpoint's URL must be https:// or http://."
                : "The endpoint's URL must be https://.");
        }

        if (uri.UserInfo.Length > 0 || uri.Fragment.Length > 0)
        {
            throw new InvalidRequestException("url", "The endpoint's URL may not carry a user name, a password or a #fragment.");
        }

        var isLoopbackName = uri.IsLoopback || uri.Host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
        if (isLoopbackName && !allowInsecure)
        {
            throw new InvalidRequestException("url", "The endpoint's URL may not point at this machine (loopback).");
        }

        if (IPAddress.TryParse(uri.DnsSafeHost, out var address) && OutboundAddressPolicy.RefusalOf(address) is { } refusal
            && !(allowInsecure && IPAddress.IsLoopback(address)))
        {
            throw new InvalidRequestException("url", $"The endpoint's URL may not point at {address}: it is {refusal}.");
        }

        return uri;
    }
}
