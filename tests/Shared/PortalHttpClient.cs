using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// An HTTP client of the portal that signs in through the development sign-in page, as a browser
/// does, and keeps the cookie; its writes say they are the portal's own (X-Requested-With), as a
/// program using the session cookie must.
/// </summary>
internal sealed partial class PortalHttpClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="apiKey">A key to send with every request (Authorization: Bearer), instead of signing in.</param>
    public PortalHttpClient(Uri baseAddress, string? apiKey = null)
    {
        _http = new HttpClient(new BrowserCookies(Cookies) { InnerHandler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false } })
        {
            BaseAddress = baseAddress,
        };
        _http.DefaultRequestHeaders.Add("X-Requested-With", "MaintenancePortal.Tests");
        if (apiKey is not null)
        {
            _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <summary>The session cookie and any other the portal set.</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>
    /// Signs in as <paramref name="principal"/> (<c>operator</c>, <c>tenant:contoso</c>, or a login name
    /// of the local provider): through the development picker when the server has it, else through
    /// the OpenID provider's own login and consent forms, as a browser would.
    /// </summary>
    public async Task SignInAsync(string principal, CancellationToken cancellationToken)
    {
        using var start = await _http.GetAsync(new Uri("/account/signin", UriKind.Relative), cancellationToken);
        var next = start.Headers.Location is { } location ? new Uri(_http.BaseAddress!, location) : null;
        if (next is null || next.Authority == _http.BaseAddress!.Authority)
        {
            await SignInWithPickerAsync(principal, cancellationToken);
        }
        else
        {
            var landed = await SignInWithProviderAsync(next, LocalOpenIdProvider.LoginOf(principal), cancellationToken);
            if (Cookies.GetCookies(_http.BaseAddress!)["maintenance-portal"] is null)
            {
                throw new InvalidOperationException($"Signing in as {principal} through the provider ended at {landed} without a session:\n"
                    + string.Join("\n", _trail));
            }
        }
    }

    private readonly List<string> _trail = [];

    private async Task SignInWithPickerAsync(string principal, CancellationToken cancellationToken)
    {
        var page = await _http.GetStringAsync(new Uri("/signin", UriKind.Relative), cancellationToken);
        var token = AntiforgeryToken().Match(page).Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "signin", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Input.Principal"] = principal,
        });
        var response = await _http.PostAsync(new Uri("/signin", UriKind.Relative), form, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect && response.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"Sign-in as {principal} answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>
    /// From the provider's authorization address: follows its redirects, fills its login form
    /// (any password) and its consent form, until it sends the browser back to the portal and the
    /// portal answers without a redirect to the provider. Returns where it ended.
    /// </summary>
    public async Task<Uri> SignInWithProviderAsync(Uri authorize, string login, CancellationToken cancellationToken)
    {
        var at = authorize;
        HttpContent? post = null;
        for (var step = 0; step < 20; step++)
        {
            using var request = new HttpRequestMessage(post is null ? HttpMethod.Get : HttpMethod.Post, at) { Content = post };
            using var response = await _http.SendAsync(request, cancellationToken);
            _trail.Add($"{request.Method} {at} -> {(int)response.StatusCode} {response.Headers.Location}");
            post = null;
            if (response.Headers.Location is { } location)
            {
                at = new Uri(at, location);
                continue;
            }

            var page = await response.Content.ReadAsStringAsync(cancellationToken);
            if (at.Authority == _http.BaseAddress!.Authority)
            {
                return at; // back at the portal: signed in, or told why not
            }

            var action = FormAction().Match(page);
            if (!action.Success)
            {
                throw new InvalidOperationException($"The provider answered {(int)response.StatusCode} at {at} without a form:\n{page}");
            }

            var fields = HiddenInput().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
            if (page.Contains("name=\"login\"", StringComparison.Ordinal))
            {
                fields["login"] = login;
                fields["password"] = "any";
            }

            at = new Uri(at, WebUtility.HtmlDecode(action.Groups[1].Value));
            post = new FormUrlEncodedContent(fields);
        }

        throw new InvalidOperationException($"Signing in as {login} went round more than 20 times; last at {at}.");
    }

    public Task<HttpResponseMessage> GetAsync(string path, CancellationToken cancellationToken) =>
        _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        var response = await GetAsync(path, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, object body, CancellationToken cancellationToken) =>
        _http.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);

    /// <summary>Starts maintenance of a host for a firmware update, as an operator; the status and the body it answers with.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> StartMaintenanceAsync(string hostId, CancellationToken cancellationToken)
    {
        using var response = await PostJsonAsync($"api/operator/hosts/{hostId}/maintenance", new { reason = "FirmwareUpdate" }, cancellationToken);
        return (response.StatusCode, JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync(cancellationToken)));
    }

    public Task<HttpResponseMessage> PutJsonAsync(string path, object body, CancellationToken cancellationToken) =>
        _http.PutAsJsonAsync(new Uri(path, UriKind.Relative), body, cancellationToken);

    /// <summary>Any method, with a JSON body when one is given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : JsonContent.Create(body) };
        return await _http.SendAsync(request, cancellationToken);
    }

    /// <summary>A body sent as it is, labelled JSON unless told otherwise (to check how malformed input is answered).</summary>
    public async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, string body, CancellationToken cancellationToken,
        string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, contentType),
        };
        return await _http.SendAsync(request, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// Keeps cookies as a browser does. The framework's own cookie handling refuses a cookie whose
    /// path is not above the request's (RFC 2109), such as the sign-in's correlation cookie set by
    /// <c>/account/signin</c> for <c>/signin-oidc</c>; browsers (RFC 6265) keep it.
    /// </summary>
    private sealed partial class BrowserCookies(CookieContainer cookies) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var uri = request.RequestUri!;
            if (cookies.GetCookieHeader(uri) is { Length: > 0 } header)
            {
                request.Headers.Add("Cookie", header);
            }

            var response = await base.SendAsync(request, cancellationToken);
            if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            {
                foreach (var setCookie in setCookies)
                {
                    var path = CookiePath().Match(setCookie) is { Success: true } match ? match.Groups[1].Value : "/";
                    cookies.SetCookies(new Uri(uri, path), setCookie);
                }
            }

            return response;
        }

        [GeneratedRegex(@";\s*path=([^;]+)", RegexOptions.IgnoreCase)]
        private static partial Regex CookiePath();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    [GeneratedRegex("<form[^>]*action=\"([^\"]+)\"[^>]*method=\"post\"", RegexOptions.IgnoreCase)]
    private static partial Regex FormAction();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();
}
