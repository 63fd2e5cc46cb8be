using System.Net.Http.Headers;
using System.Text;
using MaintenancePortal.Domain.Webhooks;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Webhooks;

/// <summary>
/// Makes attempts: a signed POST of a message's body with the Standard Webhooks headers, through
/// the guarded handler (no redirects, no refused addresses), bounded in time, reading at most the
/// first few KiB of the answer. Also runs the registration check.
/// </summary>
public sealed class WebhookSender(HttpClient http, TimeProvider time, IOptions<WebhookOptions> options)
{
    /// <summary>The handshake is a bare OPTIONS; with the test event after it, the check stays within a grain call's time.</summary>
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly WebhookOptions _options = options.Value;

    /// <summary>One attempt; it never throws for what the receiver or the network does, it reports it.</summary>
    public async Task<DeliveryAttempt> SendAsync(Uri url, WebhookMessage message, IReadOnlyList<string> secrets, int number,
        CancellationToken cancellationToken = default)
    {
        var at = time.GetUtcNow();
        var started = time.GetTimestamp();
        using var timeout = new CancellationTokenSource(_options.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var request = Signed(url, message, secrets, at);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadCappedAsync(response.Content, linked.Token);
            return DeliveryAttempt.Answered(message.MessageId, number, at, (int)response.StatusCode, time.GetElapsedTime(started), body,
                RetryAfterOf(response.Headers.RetryAfter, at));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return DeliveryAttempt.Unanswered(message.MessageId, number, at, time.GetElapsedTime(started),
                $"No answer within {_options.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException ex)
        {
            return DeliveryAttempt.Unanswered(message.MessageId, number, at, time.GetElapsedTime(started), Describe(ex));
        }
    }

    /// <summary>
    /// The registration check: the CloudEvents webhook handshake (<c>OPTIONS</c> with
    /// <c>WebHook-Request-Origin</c>, answered 2xx with <c>WebHook-Allowed-Origin</c> naming this
    /// sender or <c>*</c>); a receiver that does not do it passes by accepting the signed test
    /// message instead. Null when it passed; otherwise what each step got.
    /// </summary>
    public async Task<string?> CheckAsync(Uri url, WebhookMessage testMessage, IReadOnlyList<string> secrets,
        CancellationToken cancellationToken = default)
    {
        string handshake;
        using (var timeout = new CancellationTokenSource(HandshakeTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken))
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Options, url);
                request.Headers.Add("WebHook-Request-Origin", _options.Origin);
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                var allowed = response.Headers.TryGetValues("WebHook-Allowed-Origin", out var values) ? values.FirstOrDefault() : null;
                if (response.IsSuccessStatusCode && (allowed == "*" || string.Equals(allowed, _options.Origin, StringComparison.OrdinalIgnoreCase)))
                {
                    return null;
                }

                handshake = $"the handshake (OPTIONS) got {(int)response.StatusCode}{(allowed is null ? " without WebHook-Allowed-Origin" : $" allowing {allowed}")}";
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                handshake = "the handshake (OPTIONS) got no answer";
            }
            catch (HttpRequestException ex)
            {
                handshake = $"the handshake (OPTIONS) failed: {Describe(ex)}";
            }
        }

        var attempt = await SendAsync(url, testMessage, secrets, 1, cancellationToken);
        return attempt.Outcome == AttemptOutcome.Delivered
            ? null
            : $"{handshake}, and the signed test event got {(attempt.StatusCode is { } status ? status.ToString(System.Globalization.CultureInfo.InvariantCulture) : attempt.Error)}.";
    }

    private static HttpRequestMessage Signed(Uri url, WebhookMessage message, IReadOnlyList<string> secrets, DateTimeOffset at)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(message.Body, Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(WebhookPayload.ContentType);
        request.Headers.Add("webhook-id", message.MessageId);
        request.Headers.Add("webhook-timestamp", at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(secrets, message.MessageId, at, message.Body));
        return request;
    }

    private async Task<string?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[_options.MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken)) > 0)
        {
            read += n;
        }

        return read == 0 ? null : Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static TimeSpan? RetryAfterOf(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > now ? date - now : TimeSpan.Zero,
        _ => null,
    };

    private static string Describe(HttpRequestException ex)
    {
        Exception inner = ex;
        while (inner.InnerException is { } next && inner is not OutboundAddressRefusedException)
        {
            inner = next;
        }

        return inner is OutboundAddressRefusedException refused ? refused.Message : ex.Message;
    }
}
