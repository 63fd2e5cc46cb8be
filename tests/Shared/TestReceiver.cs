using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace MaintenancePortal.Tests.Shared;

/// <summary>A request the test receiver got.</summary>
/// <param name="ReceivedAt">When it arrived, by the clock the receiver was given.</param>
internal sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body,
    DateTimeOffset ReceivedAt)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// A real Kestrel receiver on 127.0.0.1 (a free port). Every request is recorded; the answer is
/// whatever <see cref="Respond"/> says for it, given how many requests came before it.
/// </summary>
internal sealed class TestReceiver : IAsyncDisposable
{
    private readonly TimeProvider _clock;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private int _count;

    private LoopbackServer _server = null!;

    private TestReceiver(TimeProvider clock) => _clock = clock;

    /// <summary>The answer to a request, given the number of requests received before it; 204 by default.</summary>
    public Func<ReceivedRequest, int, IResult> Respond { get; set; } = (_, _) => Results.NoContent();

    public IReadOnlyCollection<ReceivedRequest> Received => _received;

    public IEnumerable<ReceivedRequest> Posts => _received.Where(r => r.Method == "POST");

    public Uri Url => _server.Url;

    /// <summary>Forgets the requests received so far: the next one is answered as the first.</summary>
    public void Forget()
    {
        _received.Clear();
        _count = 0;
    }

    public static async Task<TestReceiver> StartAsync(TimeProvider clock)
    {
        var receiver = new TestReceiver(clock);
        receiver._server = await LoopbackServer.StartAsync("/hook", receiver.ReceiveAsync);
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new ReceivedRequest(context.Request.Method, context.Request.Path,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            await reader.ReadToEndAsync(), _clock.GetUtcNow());
        var before = Interlocked.Increment(ref _count) - 1;
        _received.Enqueue(request);
        return Respond(request, before);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
