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

    public PortalHttpClient(Uri baseAddress)
    {
        _http = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        _http.DefaultRequestHeaders.Add("X-Requested-With", "MaintenancePortal.Tests");
    }

    /// <summary>The session cookie and any other the portal set.</summary>
    public CookieContainer Cookies { get; } = new();

    public async Task SignInAsync(string principal, CancellationToken cancellationToken)
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

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
