using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScheduledEventsAgent;

/// <summary>Azure's Scheduled Events document, as its documentation describes it.</summary>
public sealed record ScheduledEventsDocument(
    [property: JsonPropertyName("DocumentIncarnation")] int DocumentIncarnation,
    [property: JsonPropertyName("Events")] IReadOnlyList<ScheduledEvent> Events);

/// <summary>One scheduled event: what happens to which resources, and from when.</summary>
public sealed record ScheduledEvent(
    [property: JsonPropertyName("EventId")] string EventId,
    [property: JsonPropertyName("EventType")] string EventType,
    [property: JsonPropertyName("ResourceType")] string ResourceType,
    [property: JsonPropertyName("Resources")] IReadOnlyList<string> Resources,
    [property: JsonPropertyName("EventStatus")] string EventStatus,
    [property: JsonPropertyName("NotBefore")] string NotBefore,
    [property: JsonPropertyName("Description")] string Description,
    [property: JsonPropertyName("EventSource")] string EventSource,
    [property: JsonPropertyName("DurationInSeconds")] long DurationInSeconds);

/// <summary>
/// Reads and approves scheduled events the way Azure's documentation says an agent should: the
/// <c>Metadata: true</c> header on every request, <c>If-None-Match</c> with the last ETag (<c>0</c>
/// before the first answer) so an unchanged document costs a 304, and a POST of
/// <c>StartRequests</c> to start events now. The base address is <c>http://169.254.169.254</c> on
/// Azure; anywhere else, the address the platform gives the instance.
/// </summary>
public sealed class ScheduledEventsClient(HttpClient http, Uri baseAddress)
{
    public const string ApiVersion = "2020-07-01";
    private readonly Uri _events = new(new Uri(baseAddress.ToString().TrimEnd('/') + "/"), $"metadata/scheduledevents?api-version={ApiVersion}");
    private static readonly JsonSerializerOptions AsSpelled = new();
    private string _etag = "0";

    /// <summary>The document when it changed since the last poll; null when it did not (304).</summary>
    public async Task<ScheduledEventsDocument?> PollAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _events);
        request.Headers.Add("Metadata", "true");
        request.Headers.TryAddWithoutValidation("If-None-Match", _etag);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        _etag = response.Headers.ETag?.ToString() ?? "0";
        return await response.Content.ReadFromJsonAsync<ScheduledEventsDocument>(cancellationToken)
               ?? throw new InvalidOperationException("The metadata service answered an empty document.");
    }

    /// <summary>Asks for the events to start now (the instance is ready for them).</summary>
    public async Task ApproveAsync(IEnumerable<string> eventIds, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _events)
        {
            // Names as Azure spells them: StartRequests, EventId.
            Content = JsonContent.Create(new { StartRequests = eventIds.Select(id => new { EventId = id }).ToArray() }, options: AsSpelled),
        };
        request.Headers.Add("Metadata", "true");
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
