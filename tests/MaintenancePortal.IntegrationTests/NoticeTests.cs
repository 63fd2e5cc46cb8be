using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ical.Net;
using MaintenancePortal.Tests.Shared;
using MimeKit;

namespace MaintenancePortal.IntegrationTests;

/// <summary>
/// E-mail notices through a real SMTP server: maildev (started by ./test.sh, read back over its HTTP
/// API and parsed with MimeKit), and a relay in the test process that refuses when told to.
/// </summary>
public sealed partial class NoticeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Smtp => Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_SMTP")
        ?? throw new InvalidOperationException("MAINTENANCEPORTAL_SMTP is not set: run the tests with ./test.sh, which starts maildev.");

    private static Uri Maildev => new(Environment.GetEnvironmentVariable("MAINTENANCEPORTAL_MAILDEV")
        ?? throw new InvalidOperationException("MAINTENANCEPORTAL_MAILDEV is not set: run the tests with ./test.sh, which starts maildev."));

    private static Dictionary<string, string> RelaySettings(string host, int port) => new()
    {
        ["MaintenancePortal__Notices__Smtp__Host"] = host,
        ["MaintenancePortal__Notices__Smtp__Port"] = port.ToString(),
        ["MaintenancePortal__Notices__Smtp__Security"] = "None",
    };

    [GeneratedRegex(@"https?://\S+/notices/confirm/[A-Za-z0-9_-]{43}")]
    private static partial Regex ConfirmLink();

    /// <summary>Every message maildev holds for an address, parsed.</summary>
    private static async Task<List<MimeMessage>> InboxAsync(HttpClient maildev, string address)
    {
        var list = await maildev.GetFromJsonAsync<JsonElement>(new Uri(Maildev, "api/email"), Ct);
        var messages = new List<MimeMessage>();
        foreach (var email in list.EnumerateArray()
                     .Where(e => e.GetProperty("to").EnumerateArray().Any(t => t.GetProperty("address").GetString() == address)))
        {
            await using var source = await maildev.GetStreamAsync(new Uri(Maildev, $"api/email/{email.GetProperty("id").GetString()}/download"), Ct);
            messages.Add(await MimeMessage.LoadAsync(source, Ct));
        }

        return messages;
    }

    private static async Task<List<MimeMessage>> WaitForAsync(HttpClient maildev, string address, Func<List<MimeMessage>, bool> enough,
        TimeSpan within, string what)
    {
        var messages = new List<MimeMessage>();
        await Eventually.HoldsAsync(async () => enough(messages = await InboxAsync(maildev, address)), within,
            () => $"{what}; {address} has: {string.Join(" | ", messages.Select(m => m.Subject))}");
        return messages;
    }

    private static async Task<string> AddContactAsync(PortalHttpClient tenant, object contact)
    {
        using var created = await tenant.PostJsonAsync("api/tenant/notices/contacts", contact, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetString()!;
    }

    /// <summary>Follows the confirmation link as a person does: the link shows a button, the button confirms.</summary>
    private static async Task ConfirmAsync(HttpClient browser, MimeMessage confirmation)
    {
        var link = ConfirmLink().Match(confirmation.TextBody ?? "").Value;
        Assert.NotEmpty(link);
        var page = await browser.GetStringAsync(link, Ct);
        Assert.Contains("data-testid=\"link-button\"", page, StringComparison.Ordinal);
        using var confirmed = await browser.PostAsync(link, null, Ct);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task Contacts_confirm_by_link_and_get_exactly_the_notices_they_chose_in_their_zone_and_notice_counts_from_the_delivery()
    {
        var smtp = Smtp.Split(':');
        await using var server = await PortalServer.StartAsync(Ct, RelaySettings(smtp[0], int.Parse(smtp[1])));
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync("tenant:northwind", Ct);
        using var other = new PortalHttpClient(server.BaseAddress);
        await other.SignInAsync("tenant:contoso", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        using var maildev = new HttpClient();
        using var browser = new HttpClient();

        var run = Guid.NewGuid().ToString("N")[..8];
        var ops = $"ops-{run}@northwind.example";
        var theirs = $"ops-{run}@contoso.example";
        var opsId = await AddContactAsync(tenant, new { address = ops, kinds = new[] { "Scheduled", "Completed" }, timeZone = "Asia/Tokyo" });
        await AddContactAsync(other, new { address = theirs, kinds = new[] { "Scheduled", "RebootFallback", "SlaAtRisk", "Completed", "Cancelled" } });
        Assert.Equal("Unconfirmed", (await tenant.GetJsonAsync($"api/tenant/notices/contacts/{opsId}", Ct)).GetProperty("state").GetString());
        // Another tenant's contact id is not found, like one that never existed.
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"api/tenant/notices/contacts/{opsId}", Ct)).StatusCode);

        foreach (var address in new[] { ops, theirs })
        {
            var confirmation = Assert.Single(await WaitForAsync(maildev, address, m => m.Count >= 1, TimeSpan.FromSeconds(30), "no confirmation"));
            Assert.Null(confirmation.Headers[HeaderId.ListUnsubscribe]);
            await ConfirmAsync(browser, confirmation);
        }

        Assert.Equal("Confirmed", (await tenant.GetJsonAsync($"api/tenant/notices/contacts/{opsId}", Ct)).GetProperty("state").GetString());
        using (var forged = await browser.PostAsync(new Uri(server.BaseAddress, $"notices/confirm/{new string('A', 43)}"), null, Ct))
        {
            Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        }

        // An operator drains one of the tenant's hosts; every move is live (the tenant's default).
        var (status, started) = await operatorClient.StartMaintenanceAsync("h-northwind-05", Ct);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var maintenanceId = started.GetProperty("maintenanceId").GetString()!;
        var count = started.GetProperty("moves").EnumerateObject().Count() + started.GetProperty("unplaced").GetArrayLength();
        List<JsonElement> moves = [];
        await Eventually.HoldsAsync(async () =>
        {
            moves = [.. (await tenant.GetJsonAsync($"api/tenant/migrations?maintenance={maintenanceId}", Ct)).GetProperty("moves").EnumerateArray()];
            return moves.Count == count && moves.All(m => m.GetProperty("state").GetString() == "Completed");
        }, TimeSpan.FromSeconds(120), () => $"The drain did not complete: {string.Join(", ", moves.Select(m => m.GetProperty("state").GetString()))}");

        var names = moves.Select(m => m.GetProperty("instanceName").GetString()!).ToList();
        var inbox = await WaitForAsync(maildev, ops, m => m.Count >= 1 + (2 * count), TimeSpan.FromSeconds(60), "not every notice arrived");
        // Each notice once: one announcement and one receipt per move, nothing else (no cancellations or risks were chosen).
        Assert.Equal(1 + (2 * count), inbox.Count);
        Assert.Equal(inbox.Count, inbox.Select(m => m.MessageId).Distinct().Count());
        foreach (var name in names)
        {
            Assert.Single(inbox, m => m.Subject!.StartsWith($"Live migration of {name} from ", StringComparison.Ordinal));
            Assert.Single(inbox, m => m.Subject!.StartsWith($"Moved: {name}, paused ", StringComparison.Ordinal));
        }

        var tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        foreach (var summary in moves)
        {
            var moveId = summary.GetProperty("moveId").GetString()!;
            var name = summary.GetProperty("instanceName").GetString()!;
            var announcement = inbox.Single(m => m.Subject!.StartsWith($"Live migration of {name} from ", StringComparison.Ordinal));
            var move = await tenant.GetJsonAsync($"api/tenant/migrations/{moveId}", Ct);

            // The times as the contact reads them, in Tokyo; the links lead to the move; the calendar event is the feed's.
            var deadline = TimeZoneInfo.ConvertTime(move.GetProperty("deadline").GetDateTimeOffset(), tokyo);
            Assert.Contains($"Deadline:      {deadline:yyyy-MM-dd HH:mm} JST", announcement.TextBody, StringComparison.Ordinal);
            Assert.Contains($"{server.BaseAddress}migrations/{moveId}#reschedule", announcement.TextBody, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await tenant.GetAsync($"migrations/{moveId}", Ct)).StatusCode);
            Assert.Equal("List-Unsubscribe=One-Click", announcement.Headers["List-Unsubscribe-Post"]);
            var ics = announcement.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "text/calendar");
            using var body = new MemoryStream();
            await ics.Content!.DecodeToAsync(body, Ct);
            Assert.Equal($"{moveId}@maintenanceportal", Assert.Single(Calendar.Load(System.Text.Encoding.UTF8.GetString(body.ToArray()))!.Events).Uid);

            // Notice counts from the delivery: given by e-mail to the contact, and the move started only after the period from then.
            var notice = move.GetProperty("notice");
            Assert.Equal(("Email", ops), (notice.GetProperty("channel").GetString(), notice.GetProperty("to").GetString()));
            var given = notice.GetProperty("givenAt").GetDateTimeOffset();
            Assert.True(move.GetProperty("startedAt").GetDateTimeOffset() >= given + TimeSpan.Parse(notice.GetProperty("period").GetString()!),
                $"{moveId} started before its notice period counted from {given:O} had passed.");
            var receipt = inbox.Single(m => m.Subject!.StartsWith($"Moved: {name}, paused ", StringComparison.Ordinal));
            Assert.Contains($"by e-mail to {ops}", receipt.TextBody, StringComparison.Ordinal);
        }

        // The other tenant's contact got its confirmation and nothing of this tenant's.
        Assert.Single(await InboxAsync(maildev, theirs));

        // One click from the mail client unsubscribes (RFC 8058), with no sign-in.
        var unsubscribe = inbox[^1].Headers[HeaderId.ListUnsubscribe]!.Trim('<', '>');
        using (var oneClick = await browser.PostAsync(unsubscribe,
                   new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        }

        Assert.Equal("Unsubscribed", (await tenant.GetJsonAsync($"api/tenant/notices/contacts/{opsId}", Ct)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task For_a_tenant_with_a_webhook_endpoint_notice_counts_from_the_endpoints_acknowledgement()
    {
        await using var receiver = await TestReceiver.StartAsync(TimeProvider.System);
        await using var server = await PortalServer.StartAsync(Ct);
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync("tenant:tailspin", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        using var created = await tenant.PostJsonAsync("api/tenant/webhooks", new { url = receiver.Url }, Ct);
        var endpoint = await created.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("Enabled", endpoint.GetProperty("status").GetString());
        var endpointId = endpoint.GetProperty("id").GetString()!;

        var (status, started) = await operatorClient.StartMaintenanceAsync("h-tailspin-04", Ct);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var maintenanceId = started.GetProperty("maintenanceId").GetString()!;
        List<JsonElement> moves = [];
        await Eventually.HoldsAsync(async () =>
        {
            moves = [.. (await tenant.GetJsonAsync($"api/tenant/migrations?maintenance={maintenanceId}", Ct)).GetProperty("moves").EnumerateArray()];
            return moves.Count > 0 && moves.All(m => m.GetProperty("state").GetString() == "Completed");
        }, TimeSpan.FromSeconds(120));

        foreach (var summary in moves)
        {
            var move = await tenant.GetJsonAsync($"api/tenant/migrations/{summary.GetProperty("moveId").GetString()}", Ct);
            var notice = move.GetProperty("notice");
            Assert.Equal(("Webhook", endpointId), (notice.GetProperty("channel").GetString(), notice.GetProperty("to").GetString()));
            var given = notice.GetProperty("givenAt").GetDateTimeOffset();
            Assert.True(move.GetProperty("startedAt").GetDateTimeOffset() >= given + TimeSpan.Parse(notice.GetProperty("period").GetString()!));
            Assert.Contains(move.GetProperty("history").EnumerateArray(), e => e.GetProperty("step").GetString() == "NoticeGiven");
        }
    }

    [Fact]
    public async Task A_reboot_move_whose_notice_the_relay_keeps_refusing_does_not_start_early_and_a_550_marks_the_address()
    {
        await using var relay = new TestRelay();
        var settings = RelaySettings("127.0.0.1", relay.Port);
        settings["Maintenance__CompletionSla"] = "00:01:30";
        settings["Maintenance__SafetyMargin"] = "00:00:10";
        settings["Maintenance__RebootDuration"] = "00:00:05";
        settings["Maintenance__RebootNotice"] = "00:00:10";
        await using var server = await PortalServer.StartAsync(Ct, settings);
        using var tenant = new PortalHttpClient(server.BaseAddress);
        await tenant.SignInAsync("tenant:fabrikam", Ct);
        using var operatorClient = new PortalHttpClient(server.BaseAddress);
        await operatorClient.SignInAsync("operator", Ct);
        using var browser = new HttpClient();

        var ops = "ops@fabrikam.example";
        var contactId = await AddContactAsync(tenant, new { address = ops, kinds = new[] { "RebootFallback" } });
        await Eventually.HoldsAsync(() => Task.FromResult(relay.Received.Any(m => m.To.Mailboxes.Any(t => t.Address == ops))), TimeSpan.FromSeconds(30));
        await ConfirmAsync(browser, relay.Received.Single(m => m.To.Mailboxes.Any(t => t.Address == ops)));

        // From now on the relay answers 451 to every message: the reboot notices are never delivered.
        relay.Deferring = true;
        Assert.Equal(HttpStatusCode.OK,
            (await tenant.PutJsonAsync("api/tenant/preferences", new { @default = "RebootInWindow" }, Ct)).StatusCode);
        using var start = await operatorClient.PostJsonAsync("api/operator/hosts/h-fabrikam-02/maintenance", new { reason = "DegradedHardware" }, Ct);
        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var maintenanceId = (await start.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("maintenanceId").GetString()!;

        List<JsonElement> moves = [];
        await Eventually.HoldsAsync(async () =>
        {
            moves = [.. (await tenant.GetJsonAsync($"api/tenant/migrations?maintenance={maintenanceId}", Ct)).GetProperty("moves").EnumerateArray()];
            return moves.Count > 0 && moves.All(m => m.GetProperty("action").GetString() == "RebootMove");
        }, TimeSpan.FromSeconds(30));
        var notBefore = moves.Max(m => m.GetProperty("notBefore").GetDateTimeOffset());
        var latest = moves.Min(m => m.GetProperty("latestStart").GetDateTimeOffset());
        Assert.True(latest - notBefore > TimeSpan.FromSeconds(30), $"The test needs room between {notBefore:O} and {latest:O}.");

        // Past the planned start, nothing has started: every move waits for its notice, and the operator sees why.
        await Task.Delay(notBefore - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(8), Ct);
        var waiting = await operatorClient.GetJsonAsync($"api/operator/maintenance/{maintenanceId}", Ct);
        Assert.All(waiting.GetProperty("moves").EnumerateObject(), m =>
        {
            Assert.Equal("Scheduled", m.Value.GetProperty("state").GetString());
            Assert.True(m.Value.GetProperty("awaitingNotice").GetBoolean());
        });
        Assert.True(relay.Deferred > 0);

        // At its latest start each goes ahead, so the deadline holds, with no notice recorded as given.
        await Eventually.HoldsAsync(async () =>
        {
            moves = [.. (await tenant.GetJsonAsync($"api/tenant/migrations?maintenance={maintenanceId}", Ct)).GetProperty("moves").EnumerateArray()];
            return moves.All(m => m.GetProperty("state").GetString() == "Completed");
        }, TimeSpan.FromSeconds(90));
        foreach (var summary in moves)
        {
            var move = await tenant.GetJsonAsync($"api/tenant/migrations/{summary.GetProperty("moveId").GetString()}", Ct);
            Assert.True(move.GetProperty("startedAt").GetDateTimeOffset() >= move.GetProperty("latestStart").GetDateTimeOffset() - TimeSpan.FromSeconds(1));
            Assert.Equal(JsonValueKind.Null, move.GetProperty("notice").GetProperty("givenAt").ValueKind);
        }

        // The relay refuses the address for good: the contact is marked bounced and gets nothing more.
        relay.Deferring = false;
        using var resend = await tenant.PostJsonAsync($"api/tenant/notices/contacts/{contactId}/confirmation", new { }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, resend.StatusCode); // it is confirmed: nothing to confirm
        relay.Refused["gone@fabrikam.example"] = true;
        using var change = await tenant.PutJsonAsync($"api/tenant/notices/contacts/{contactId}",
            new { address = "gone@fabrikam.example", kinds = new[] { "RebootFallback" } }, Ct);
        Assert.Equal(HttpStatusCode.OK, change.StatusCode);
        await Eventually.HoldsAsync(async () =>
            (await tenant.GetJsonAsync($"api/tenant/notices/contacts/{contactId}", Ct)).GetProperty("state").GetString() == "Bounced",
            TimeSpan.FromSeconds(30));
        var log = (await tenant.GetJsonAsync($"api/tenant/notices/contacts/{contactId}/deliveries", Ct)).GetProperty("mails");
        Assert.Contains(log.EnumerateArray(), m => m.GetProperty("status").GetString() == "Bounced"
                                                   && m.GetProperty("answer").GetString()!.StartsWith("550", StringComparison.Ordinal));
    }
}
