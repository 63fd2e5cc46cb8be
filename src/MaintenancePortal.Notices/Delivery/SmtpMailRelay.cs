using System.Collections.Concurrent;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MaintenancePortal.Domain.Notices;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MaintenancePortal.Notices.Delivery;

/// <summary>
/// Sends through the configured SMTP relay with MailKit, on a few connections kept open (each used
/// by one message at a time, opened and signed in again when the relay closed it). Every outcome is
/// an answer: the reply code where the relay gave one, classified by <see cref="RelayAnswer.Classify"/>;
/// a failure to connect, sign in, or finish in time is transient. A connection that saw a failure is
/// closed rather than used again.
/// </summary>
public sealed class SmtpMailRelay : IMailRelay, IAsyncDisposable
{
    private readonly SmtpOptions _options;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _connections;
    private readonly ConcurrentBag<SmtpClient> _idle = [];

    public SmtpMailRelay(IOptions<NoticeOptions> options, TimeProvider time)
    {
        _options = options.Value.Smtp;
        _time = time;
        _connections = new SemaphoreSlim(Math.Max(1, _options.Connections));
    }

    public bool Delivers => true;

    public async Task<RelayAnswer> SendAsync(string mailId, MimeMessage message, CancellationToken cancellationToken)
    {
        await _connections.WaitAsync(cancellationToken);
        var client = _idle.TryTake(out var idle) ? idle : new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        var healthy = false;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            await ConnectAsync(client, timeout.Token);
            var reply = await client.SendAsync(message, timeout.Token);
            healthy = true;
            return Answer(mailId, RelayOutcome.Accepted, 250, reply);
        }
        catch (SmtpCommandException ex)
        {
            var forRecipient = ex.ErrorCode == SmtpErrorCode.RecipientNotAccepted;
            return Answer(mailId, RelayAnswer.Classify((int)ex.StatusCode, forRecipient), (int)ex.StatusCode, ex.Message);
        }
        catch (AuthenticationException ex)
        {
            return Answer(mailId, RelayOutcome.Transient, null, $"The relay refused the configured credentials: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Answer(mailId, RelayOutcome.Transient, null, $"The relay did not finish within {_options.Timeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is SmtpProtocolException or IOException or System.Net.Sockets.SocketException or SslHandshakeException
                                       or ServiceNotConnectedException or TimeoutException)
        {
            return Answer(mailId, RelayOutcome.Transient, null, $"No answer from the relay {_options.Host}:{_options.Port}: {ex.Message}");
        }
        finally
        {
            if (healthy)
            {
                _idle.Add(client);
            }
            else
            {
                await CloseAsync(client);
            }

            _connections.Release();
        }
    }

    private async Task ConnectAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        if (client.IsConnected)
        {
            return;
        }

        var security = _options.Security switch
        {
            SmtpSecurity.None => SecureSocketOptions.None,
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(_options.Host ?? "", _options.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(_options.UserName))
        {
            await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", cancellationToken);
        }
    }

    private RelayAnswer Answer(string mailId, RelayOutcome outcome, int? code, string text) =>
        new(mailId, _time.GetUtcNow(), outcome, code, text.Length <= 300 ? text : text[..300]);

    private static async Task CloseAsync(SmtpClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(quit: true);
            }
        }
        catch (Exception ex) when (ex is IOException or SmtpProtocolException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // Closing a broken connection: nothing more to do.
        }
        finally
        {
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var client))
        {
            await CloseAsync(client);
        }

        _connections.Dispose();
    }
}
