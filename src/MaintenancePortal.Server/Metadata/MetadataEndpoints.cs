using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Metadata;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Server.Access;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MaintenancePortal.Server.Metadata;

/// <summary>
/// The in-instance metadata service: under each instance's address <c>/imds/{token}</c>, the paths
/// Azure's Scheduled Events and AWS's IMDSv2 agents already use, so an agent works unchanged once
/// its base address <c>http://169.254.169.254</c> is replaced. The token in the path is the
/// credential: an unknown, rotated or malformed one is answered 404 with nothing else.
/// </summary>
public static class MetadataEndpoints
{
    /// <summary>Azure's versions of Scheduled Events this service answers.</summary>
    public static readonly string[] AzureApiVersions = ["2017-11-01", "2019-01-01", "2019-08-01", "2020-07-01"];

    public const string AwsTokenHeader = "X-aws-ec2-metadata-token";
    public const string AwsTtlHeader = "X-aws-ec2-metadata-token-ttl-seconds";
    private const int AwsMaxTtlSeconds = 21_600;

    /// <summary>Names as the clouds spell them (PascalCase), not the API's camelCase; read in any case.</summary>
    private static readonly JsonSerializerOptions CloudJson = new() { PropertyNamingPolicy = null, PropertyNameCaseInsensitive = true };

    public static IEndpointRouteBuilder MapMetadataService(this IEndpointRouteBuilder endpoints)
    {
        var imds = endpoints.MapGroup("/imds/{token}").AllowAnonymous().ExcludeFromDescription();
        imds.MapGet("/metadata/scheduledevents", AzureEventsAsync);
        imds.MapPost("/metadata/scheduledevents", AzureStartAsync);
        imds.MapPut("/latest/api/token", AwsSessionToken);
        imds.MapGet("/latest/meta-data/events/maintenance/scheduled", (HttpContext http, string token, MetadataInstances instances) =>
            AwsEventsAsync(http, token, instances, GuestEvents.AwsScheduled));
        imds.MapGet("/latest/meta-data/events/maintenance/history", (HttpContext http, string token, MetadataInstances instances) =>
            AwsEventsAsync(http, token, instances, GuestEvents.AwsHistory));
        // AWS's SDKs ask for the session token at the root of the endpoint's host, whatever the path of the endpoint.
        endpoints.MapPut("/latest/api/token", AwsSessionToken).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task AzureEventsAsync(HttpContext http, string token, [FromQuery(Name = "api-version")] string? apiVersion, MetadataInstances instances)
    {
        if (await AzureInstanceAsync(http, token, apiVersion, instances) is not { } found)
        {
            return;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(GuestEvents.Azure(found.Spec.Name, found.Moves), CloudJson);
        var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(body))[..32]}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = "no-cache";
        if (http.Request.Headers.IfNoneMatch.Contains(etag))
        {
            http.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>Body of Azure's approval: the events to start now.</summary>
    public sealed record StartRequestsBody(List<StartRequest?>? StartRequests);

    public sealed record StartRequest(string? EventId);

    private static async Task AzureStartAsync(HttpContext http, string token, [FromQuery(Name = "api-version")] string? apiVersion, MetadataInstances instances, ITenantPortal portal)
    {
        if (await AzureInstanceAsync(http, token, apiVersion, instances) is not { } found)
        {
            return;
        }

        // Read as JSON whatever the Content-Type says (agents send it with and without one); what is not is refused below.
        StartRequestsBody? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<StartRequestsBody>(http.Request.Body, CloudJson, http.RequestAborted);
        }
        catch (JsonException)
        {
            body = null;
        }

        var requests = body?.StartRequests;
        if (requests is null || requests.Count is 0 or > 100)
        {
            await Results.BadRequest(new { error = "Give StartRequests: a list of 1 to 100 {\"EventId\": \"...\"}." }).ExecuteAsync(http);
            return;
        }

        var approvable = found.Moves.Where(GuestEvents.CanBeApproved).Select(m => m.MoveId).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i]?.EventId is not { } eventId || !approvable.Contains(eventId))
            {
                await Results.BadRequest(new { error = $"StartRequests[{i}].EventId is not an event of this instance that has yet to finish." })
                    .ExecuteAsync(http);
                return;
            }
        }

        // Recorded in the tenant's audit trail as done from inside the instance.
        CurrentActor.Set(PortalClaims.Instance(found.Spec.InstanceId, found.Spec.Name, found.Spec.TenantId),
            http.Connection.RemoteIpAddress?.ToString());
        foreach (var eventId in requests.Select(r => r!.EventId!).Distinct(StringComparer.Ordinal))
        {
            await portal.ApproveAsync(found.Spec.TenantId, eventId, http.RequestAborted);
        }

        http.Response.StatusCode = StatusCodes.Status200OK;
    }

    /// <summary>
    /// The instance of an Azure request, or null once the answer is written: what Azure refuses before
    /// anything is looked up (400), or nothing found (404).
    /// </summary>
    private static async Task<InstanceView?> AzureInstanceAsync(HttpContext http, string token, string? apiVersion, MetadataInstances instances)
    {
        if (AzureRefusal(http, apiVersion) is { } refusal)
        {
            await refusal.ExecuteAsync(http);
            return null;
        }

        var found = await instances.FindAsync(http, token);
        if (found is null)
        {
            NothingFound(http);
        }

        return found;
    }

    /// <summary>What Azure refuses before anything is looked up: no <c>Metadata: true</c> header, or no api-version it knows.</summary>
    private static IResult? AzureRefusal(HttpContext http, string? apiVersion)
    {
        if (!string.Equals(http.Request.Headers["Metadata"], "true", StringComparison.OrdinalIgnoreCase))
        {
            return Results.BadRequest(new { error = "Bad request. Required metadata header not specified" });
        }

        return apiVersion is null || !AzureApiVersions.Contains(apiVersion)
            ? Results.BadRequest(new Dictionary<string, object>
            {
                ["error"] = "Bad request. api-version is invalid or was not specified in the request.",
                ["newest-versions"] = AzureApiVersions.Reverse().ToArray(),
            })
            : null;
    }

    /// <summary>
    /// IMDSv2's session token: asked for with a PUT (which a forwarded request cannot be), given for
    /// 1 to 21,600 seconds, signed by the server with its expiry inside, so nothing is stored.
    /// </summary>
    private static IResult AwsSessionToken(HttpContext http, AwsSessions sessions)
    {
        if (http.Request.Headers.ContainsKey("X-Forwarded-For"))
        {
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!int.TryParse(http.Request.Headers[AwsTtlHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl)
            || ttl is < 1 or > AwsMaxTtlSeconds)
        {
            return Results.StatusCode(StatusCodes.Status400BadRequest);
        }

        http.Response.Headers[AwsTtlHeader] = ttl.ToString(CultureInfo.InvariantCulture);
        return Results.Text(sessions.Issue(TimeSpan.FromSeconds(ttl)), "text/plain");
    }

    private static async Task AwsEventsAsync(HttpContext http, string token, MetadataInstances instances,
        Func<IEnumerable<Domain.Maintenance.InstanceMove>, IReadOnlyList<AwsMaintenanceEvent>> events)
    {
        if (!http.RequestServices.GetRequiredService<AwsSessions>().IsValid(http.Request.Headers[AwsTokenHeader].ToString()))
        {
            http.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (await instances.FindAsync(http, token) is not { } found)
        {
            NothingFound(http);
            return;
        }

        http.Response.ContentType = "text/plain";
        await http.Response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(events(found.Moves), CloudJson), http.RequestAborted);
    }

    /// <summary>404 and nothing: not even a problem-details body that would say more than that.</summary>
    private static void NothingFound(HttpContext http)
    {
        http.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
        http.Response.StatusCode = StatusCodes.Status404NotFound;
    }
}

/// <summary>Finds the instance of a metadata token: well-formed, indexed, and still the instance's current token.</summary>
public sealed class MetadataInstances(IGrainFactory grains, RefusedKeyLimiter refusals)
{
    /// <summary>
    /// The instance, or null. Unknown tokens count against the caller's address like refused API keys,
    /// so made-up tokens cannot drive storage reads; past the limit nothing is looked up.
    /// </summary>
    public async Task<InstanceView?> FindAsync(HttpContext http, string token)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "";
        if (!AddressToken.IsWellFormed(token) || refusals.IsBlocked(address))
        {
            refusals.Refused(address);
            return null;
        }

        var instanceId = await grains.GetGrain<IAddressTokenGrain>(AddressToken.Key(AddressPurpose.InstanceMetadata, token)).GetOwnerAsync();
        var view = instanceId is null ? null : await grains.GetGrain<IInstanceGrain>(instanceId).GetAsync();
        if (view is null || !AddressToken.Matches(token, view.MetadataToken))
        {
            refusals.Refused(address);
            return null;
        }

        return view;
    }
}

/// <summary>IMDSv2's session tokens: signed by the server's data protection with their expiry inside, so nothing is stored.</summary>
public sealed class AwsSessions(IDataProtectionProvider protection, TimeProvider time)
{
    private const string Payload = "imds";
    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("MaintenancePortal.Metadata.AwsSession").ToTimeLimitedDataProtector();

    public string Issue(TimeSpan lifetime) => _protector.Protect(Payload, time.GetUtcNow() + lifetime);

    /// <summary>Whether the token is one this service (or another server with the same keys) gave and has not expired.</summary>
    public bool IsValid(string session)
    {
        if (session.Length is 0 or > 1024)
        {
            return false;
        }

        try
        {
            return _protector.Unprotect(session) == Payload;
        }
        catch (CryptographicException)
        {
            return false; // tampered, from another server's keys, or expired
        }
    }
}
