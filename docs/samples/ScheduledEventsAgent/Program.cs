// A guest agent for Azure Scheduled Events: polls once a second and prints each change of the
// document; with --approve it starts each scheduled event at once (as an agent does once the
// workload is drained). Usage: dotnet run -- <metadata base address> [--approve]
using ScheduledEventsAgent;

if (args.Length == 0 || !Uri.TryCreate(args[0], UriKind.Absolute, out var baseAddress))
{
    Console.Error.WriteLine("Usage: ScheduledEventsAgent <metadata base address, e.g. http://169.254.169.254> [--approve]");
    return 2;
}

var approve = args.Contains("--approve");
using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
var client = new ScheduledEventsClient(http, baseAddress);
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

while (!stop.IsCancellationRequested)
{
    try
    {
        if (await client.PollAsync(stop.Token) is { } document)
        {
            Console.WriteLine($"incarnation {document.DocumentIncarnation}: {document.Events.Count} event(s)");
            foreach (var e in document.Events)
            {
                Console.WriteLine($"  {e.EventId} {e.EventType} {e.EventStatus} not before '{e.NotBefore}' for {e.DurationInSeconds} s: {e.Description}");
            }

            var scheduled = document.Events.Where(e => e.EventStatus == "Scheduled").Select(e => e.EventId).ToList();
            if (approve && scheduled.Count > 0)
            {
                await client.ApproveAsync(scheduled, stop.Token);
                Console.WriteLine($"  approved {string.Join(", ", scheduled)}");
            }
        }

        await Task.Delay(TimeSpan.FromSeconds(1), stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        break;
    }
    catch (HttpRequestException ex)
    {
        Console.Error.WriteLine($"the metadata service did not answer: {ex.Message}");
        await Task.Delay(TimeSpan.FromSeconds(5), stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}

return 0;
