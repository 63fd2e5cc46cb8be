using System.Threading.Channels;
using MaintenancePortal.Domain.Webhooks;
using Microsoft.Extensions.Logging;

namespace MaintenancePortal.Webhooks.Endpoints;

/// <summary>
/// Runs an endpoint's attempts off the grain's turn, on the thread pool, and hands their results
/// back to the grain in batches (one call per batch, however many
/// came in), so a slow receiver never holds up new messages and a busy one costs few calls.
/// Results on their way when the activation ends are dropped: those messages are sent again, with
/// the same id, once their leases end.
/// </summary>
public sealed partial class DeliveryPump
{
    private const int ResultsPerCall = 256;

    private readonly WebhookSender _sender;
    private readonly TimeProvider _time;
    private readonly Func<IReadOnlyList<DeliveryAttempt>, Task> _record;
    private readonly ILogger _logger;
    private readonly Channel<DeliveryAttempt> _results = Channel.CreateUnbounded<DeliveryAttempt>(new UnboundedChannelOptions { SingleReader = true });

    public DeliveryPump(WebhookSender sender, TimeProvider time, Func<IReadOnlyList<DeliveryAttempt>, Task> record, ILogger logger)
    {
        (_sender, _time, _record, _logger) = (sender, time, record, logger);
        _ = Task.Run(ReportResultsAsync, CancellationToken.None);
    }

    /// <summary>Sends one attempt; its result comes back through the batch call.</summary>
    public void Start(Uri url, WebhookMessage message, IReadOnlyList<string> secrets, int number) =>
        _ = Task.Run(() => AttemptAsync(url, message, secrets, number));

    /// <summary>The activation ends: results not yet handed back are dropped.</summary>
    public void Stop() => _results.Writer.TryComplete();

    private async Task AttemptAsync(Uri url, WebhookMessage message, IReadOnlyList<string> secrets, int number)
    {
        var started = _time.GetUtcNow();
        DeliveryAttempt attempt;
        try
        {
            attempt = await _sender.SendAsync(url, message, secrets, number);
        }
        catch (Exception ex)
        {
            // The sender reports what receivers and networks do; anything else is still a failed attempt, logged.
            LogAttemptFailed(_logger, ex, message.MessageId);
            attempt = DeliveryAttempt.Unanswered(message.MessageId, number, started, _time.GetUtcNow() - started, "The attempt failed in the sender.");
        }

        _results.Writer.TryWrite(attempt);
    }

    private async Task ReportResultsAsync()
    {
        var reader = _results.Reader;
        while (await reader.WaitToReadAsync())
        {
            var batch = new List<DeliveryAttempt>();
            while (batch.Count < ResultsPerCall && reader.TryRead(out var attempt))
            {
                batch.Add(attempt);
            }

            try
            {
                await _record(batch);
            }
            catch (Exception ex)
            {
                // The messages stay on their way until their lease ends; then they are sent again, with the same id.
                LogResultsLost(_logger, ex, batch.Count);
            }
        }
    }

    [LoggerMessage(LogLevel.Error, "An attempt at {MessageId} failed unexpectedly")]
    private static partial void LogAttemptFailed(ILogger logger, Exception exception, string messageId);

    [LoggerMessage(LogLevel.Warning, "{Count} attempt results could not be recorded; those messages are tried again")]
    private static partial void LogResultsLost(ILogger logger, Exception exception, int count);
}
