using System.Net;
using System.Net.Sockets;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Notices.Delivery;
using Microsoft.Extensions.Options;
using MimeKit;
using MaintenancePortal.Tests.Shared;
using static MaintenancePortal.Notices.Tests.TestNotices;

namespace MaintenancePortal.Notices.Tests;

/// <summary>The MailKit relay against real SMTP servers: what each answer means for the e-mail and its address.</summary>
public sealed class SmtpMailRelayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SmtpMailRelay Relay(int port) => new(Options.Create(new NoticeOptions
    {
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) },
    }), TimeProvider.System);

    private static MimeMessage Message(string to = "ops@northwind.example")
    {
        var mail = ContactMailbox.Empty.Take(Contact(), [Scheduled(Move())], Now, out _).Pending[0];
        var message = Composer().Compose(Contact(), mail, Links);
        message.To.Clear();
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }

    [Fact]
    public async Task An_accepted_message_arrives_whole_and_a_connection_is_used_again()
    {
        await using var server = new TestRelay();
        await using var relay = Relay(server.Port);

        var first = await relay.SendAsync("m1", Message(), Ct);
        var second = await relay.SendAsync("m2", Message(), Ct);

        Assert.Equal((RelayOutcome.Accepted, 250), (first.Outcome, first.Code));
        Assert.Equal(RelayOutcome.Accepted, second.Outcome);
        Assert.Equal(2, server.Received.Count);
        Assert.All(server.Received, m => Assert.StartsWith("Live migration of web-1", m.Subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_451_is_transient_and_a_550_for_the_recipient_refuses_the_address()
    {
        await using var server = new TestRelay();
        await using var relay = Relay(server.Port);

        server.Deferring = true;
        var deferred = await relay.SendAsync("m1", Message(), Ct);
        Assert.Equal((RelayOutcome.Transient, 451), (deferred.Outcome, deferred.Code));

        server.Deferring = false;
        server.Refused["gone@northwind.example"] = true;
        var refused = await relay.SendAsync("m2", Message("gone@northwind.example"), Ct);
        Assert.Equal((RelayOutcome.RecipientRefused, 550), (refused.Outcome, refused.Code));

        // The connection that saw the refusals is not used again; the next message still goes through.
        Assert.Equal(RelayOutcome.Accepted, (await relay.SendAsync("m3", Message(), Ct)).Outcome);
        Assert.Single(server.Received);
    }

    [Fact]
    public async Task No_relay_listening_is_transient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var relay = Relay(port);

        var answer = await relay.SendAsync("m1", Message(), Ct);

        Assert.Equal(RelayOutcome.Transient, answer.Outcome);
        Assert.Null(answer.Code);
    }
}
