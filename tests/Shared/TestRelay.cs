using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Mail;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// A real SMTP server on 127.0.0.1 in the test process (the SmtpServer library): it keeps what it
/// accepts, refuses the recipients it is told to with 550, and answers 451 to a message while told to.
/// </summary>
public sealed class TestRelay : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public TestRelay()
    {
        Port = LoopbackPort.Free();
        var options = new SmtpServerOptionsBuilder().ServerName("relay.test")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new Filter(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    public int Port { get; }

    /// <summary>Messages accepted, as parsed by MimeKit.</summary>
    public ConcurrentQueue<MimeMessage> Received { get; } = new();

    /// <summary>Recipients answered 550 at RCPT TO.</summary>
    public ConcurrentDictionary<string, bool> Refused { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>While set, every message is answered 451 after DATA.</summary>
    public bool Deferring { get; set; }

    /// <summary>How many messages were answered 451.</summary>
    public int Deferred => _deferred;

    private int _deferred;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _running;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }


    private sealed class Store(TestRelay relay) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            if (relay.Deferring)
            {
                Interlocked.Increment(ref relay._deferred);
                return Task.FromResult(new SmtpResponse((SmtpReplyCode)451, "Requested action aborted: try again later"));
            }

            using var stream = new MemoryStream(buffer.ToArray());
            relay.Received.Enqueue(MimeMessage.Load(stream, cancellationToken));
            return Task.FromResult(SmtpResponse.Ok);
        }
    }

    private sealed class Filter(TestRelay relay) : MailboxFilter
    {
        public override Task<bool> CanDeliverToAsync(ISessionContext context, IMailbox to, IMailbox from, CancellationToken cancellationToken) =>
            Task.FromResult(!relay.Refused.ContainsKey($"{to.User}@{to.Host}"));
    }
}
