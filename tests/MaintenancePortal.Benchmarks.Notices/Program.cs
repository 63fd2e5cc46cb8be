using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Notices.Contacts;
using MaintenancePortal.Notices.Delivery;
using MaintenancePortal.Server.Extensions;
using MaintenancePortal.Tests.Shared;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// E-mail notices, measured on the real server hosted in this process (embedded profile) against a
// local SMTP server (maildev; ./infra/bench-notices.sh starts it):
//  1. notices per second through the service (the contact grain, the composer, the MailKit relay
//     on its connections) against MailKit sending the same messages directly on as many connections,
//     in one run, to the same SMTP server (target: the service at least half as fast);
//  2. the digest of a contact whose tenant had 10,000 moves in a day: taking them, closing the
//     digest and composing the message (target: at most 1 s).
// Usage: dotnet run -c Release --project tests/MaintenancePortal.Benchmarks.Notices [-- --notices N]
// Needs MAINTENANCEPORTAL_SMTP (host:port) and MAINTENANCEPORTAL_MAILDEV (its HTTP address).
var count = Option("--notices", 2_000);
var digestOnly = args.Contains("--digest-only");
const string TenantId = "contoso";
const int Connections = 4;
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = timeout.Token;
var smtp = Required("MAINTENANCEPORTAL_SMTP").Split(':');
var maildev = new Uri(Required("MAINTENANCEPORTAL_MAILDEV").TrimEnd('/') + "/");
using var http = new HttpClient { BaseAddress = maildev };

var settings = new Dictionary<string, string?>
{
    ["Urls"] = $"http://127.0.0.1:{LoopbackPort.Free()}",
    ["Orleans:SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
    ["Orleans:GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
    ["DemoFleet:Tenants"] = "1",
    ["DemoFleet:HostsPerTenant"] = "4",
    ["DemoFleet:SpareHosts"] = "0",
    ["DemoFleet:StartMaintenanceOnStartup"] = "0",
    ["MaintenancePortal:Notices:Smtp:Host"] = smtp[0],
    ["MaintenancePortal:Notices:Smtp:Port"] = smtp[1],
    ["MaintenancePortal:Notices:Smtp:Security"] = "None",
    ["MaintenancePortal:Notices:Smtp:Connections"] = Connections.ToString(CultureInfo.InvariantCulture),
    ["MaintenancePortal:Notices:MaxInFlightPerContact"] = Connections.ToString(CultureInfo.InvariantCulture),
    ["Logging:LogLevel:Default"] = "Warning",
};

Console.WriteLine("# E-mail notices");
Console.WriteLine();
Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} cores, .NET {Environment.Version}, Release; "
                  + $"the server hosted in the benchmark's process (embedded profile), maildev on 127.0.0.1 as the SMTP server, {Connections} connections each way.");
Console.WriteLine();

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    ApplicationName = "MaintenancePortal.Server",
    ContentRootPath = Path.Combine(Repository.Root(), "src", "MaintenancePortal.Server"),
    EnvironmentName = "Production",
});
builder.Configuration.AddInMemoryCollection(settings);
await builder.AddMaintenancePortalAsync();
await using var app = builder.Build();
app.UseMaintenancePortal();
await app.StartAsync(ct);
var grains = app.Services.GetRequiredService<IGrainFactory>();
var notices = app.Services.GetRequiredService<ITenantNotices>();
var composer = app.Services.GetRequiredService<NoticeComposer>();

var instances = DemoFleet.Generate(new DemoFleetOptions { Tenants = 1, HostsPerTenant = 4, SpareHosts = 0 }).Instances.Select(i => i.Instance).ToList();
var now = DateTimeOffset.UtcNow;
var clock = new Stopwatch();
if (!digestOnly)
{
    await ThroughputAsync();
}

// The digest of a day of 10,000 moves: taken one event at a time, closed, composed.
var digestContact = NoticeContact.Create("ct_digest", TenantId, "digest@contoso.example", Enum.GetValues<NoticeKind>(), NoticeCadence.Digest, 7,
    "Europe/Berlin", now).Confirm(now);
var day = Enumerable.Range(0, 10_000).Select(i => NoticeOf(instances[i % instances.Count], count + i, now)).ToList();
var times = new List<TimeSpan>();
var taking = new List<TimeSpan>();
var size = 0L;
for (var run = 0; run < 5; run++)
{
    clock.Restart();
    var mailbox = ContactMailbox.Empty;
    foreach (var notice in day)
    {
        mailbox = mailbox.Take(digestContact, [notice], now, out _);
    }

    taking.Add(clock.Elapsed);
    var digest = composer.Compose(digestContact, mailbox.CloseDigest("digest-1", now).Pending[0], new ContactLinks(null, null));
    using var stream = new MemoryStream();
    await digest.WriteToAsync(stream, ct);
    times.Add(clock.Elapsed);
    size = stream.Length;
}

Console.WriteLine($"The digest of 10,000 moves in a day (taken one by one, closed, composed and written out; {ContactMailbox.DigestListed} listed, "
                  + $"the rest counted, {size / 1024.0 / 1024:0.0} MiB with its calendar): median {Median(times).TotalMilliseconds:N0} ms of 5 runs "
                  + $"(slowest {times.Max().TotalMilliseconds:N0} ms; target: at most 1 s); taking the 10,000 notices: median {Median(taking).TotalMilliseconds:N0} ms.");
await app.StopAsync(ct);
return;

async Task ThroughputAsync()
{
    // A contact of the tenant's, confirmed by its link as a person would.
    await http.DeleteAsync("api/email/all", ct);
    var address = $"ops-{Guid.NewGuid():N}@contoso.example";
    var contact = await notices.CreateAsync(TenantId, new ContactSettings(address, [NoticeKind.Scheduled], NoticeCadence.Immediate, 8, "Europe/Berlin"), ct);
    var confirmation = await WaitForAsync(1);
    var link = Regex.Match(await http.GetStringAsync($"api/email/{confirmation[0]}/download", ct), @"https?://\S+/notices/confirm/[A-Za-z0-9_-]{43}").Value;
    using (var browser = new HttpClient())
    {
        (await browser.PostAsync(link, null, ct)).EnsureSuccessStatusCode();
    }

    var contactGrain = grains.GetGrain<INoticeContactGrain>(NoticeContactKey.Of(TenantId, contact.Contact.ContactId));
    var confirmed = (await contactGrain.GetAsync())!.Contact;

    // The notices: one scheduled live migration each, of the tenant's instances in turn.
    var batch = Enumerable.Range(0, count).Select(i => NoticeOf(instances[i % instances.Count], i, now)).ToList();

    // Through the service: handed to the tenant's contacts as the dispatch consumer hands them, until the relay accepted every one.
    await http.DeleteAsync("api/email/all", ct);
    clock.Restart();
    foreach (var chunk in batch.Chunk(100))
    {
        await grains.GetGrain<INoticeContactsGrain>(TenantId).DispatchAsync(chunk);
    }

    while ((await contactGrain.GetAsync())!.Waiting > 0)
    {
        await Task.Delay(20, ct);
    }

    var service = clock.Elapsed;
    var sent = (await contactGrain.GetAsync())!.Log.Count(m => m.Status == MailStatus.Sent);
    await WaitForAsync(count);

    // MailKit directly: the same messages, composed beforehand, on as many connections.
    var messages = ContactMailbox.Empty.Take(confirmed, batch, now, out _).Pending
        .Select(m => composer.Compose(confirmed, m, new ContactLinks(null, new Uri("http://127.0.0.1/notices/unsubscribe/x")))).ToList();
    await http.DeleteAsync("api/email/all", ct);
    clock.Restart();
    await Task.WhenAll(Enumerable.Range(0, Connections).Select(async c =>
    {
        using var client = new SmtpClient();
        await client.ConnectAsync(smtp[0], int.Parse(smtp[1], CultureInfo.InvariantCulture), SecureSocketOptions.None, ct);
        for (var i = c; i < messages.Count; i += Connections)
        {
            await client.SendAsync(messages[i], ct);
        }

        await client.DisconnectAsync(true, ct);
    }));
    var direct = clock.Elapsed;
    await WaitForAsync(count);

    Console.WriteLine("| Path | Notices | Time | Notices/s |");
    Console.WriteLine("|---|---:|---:|---:|");
    Console.WriteLine($"| Through the service (contact grain, composer, relay) | {count:N0} | {service.TotalSeconds:0.00} s | {count / service.TotalSeconds:N0} |");
    Console.WriteLine($"| MailKit directly (composed beforehand) | {count:N0} | {direct.TotalSeconds:0.00} s | {count / direct.TotalSeconds:N0} |");
    Console.WriteLine();
    Console.WriteLine($"The service reaches {direct.TotalSeconds / service.TotalSeconds:P0} of MailKit's direct rate (target: at least 50 %); "
                      + $"the last {Math.Min(sent, ContactMailbox.LogKept)} of its deliveries in the log are all Sent, and maildev holds {count:N0} messages after each run.");
    Console.WriteLine();
}

Notice NoticeOf(InstanceSpec instance, int i, DateTimeOffset at)
{
    var decision = new MoveDecision(MoveAction.LiveMigration, at.AddMinutes(15), at.AddHours(20), "Live migration.")
    {
        Prediction = new MovePrediction(TimeSpan.FromMilliseconds(40), TimeSpan.FromMinutes(2)),
    };
    var move = InstanceMove.Schedule($"mv-{i:x12}", "mnt-bench", instance, MaintenanceReason.FirmwareUpdate, $"h-{TenantId}-01", $"h-{TenantId}-02",
        at, at.AddHours(24), decision);
    return Notice.Of(Guid.NewGuid(), NoticeKind.Scheduled, at, MoveSummary.Of(move), move.Why);
}

// Waits until maildev holds at least this many messages; their ids.
async Task<List<string>> WaitForAsync(int messages)
{
    for (var waited = Stopwatch.StartNew(); ; await Task.Delay(200, ct))
    {
        var list = await http.GetFromJsonAsync<JsonElement>("api/email", ct);
        if (list.GetArrayLength() >= messages)
        {
            return [.. list.EnumerateArray().Select(e => e.GetProperty("id").GetString()!)];
        }

        if (waited.Elapsed > TimeSpan.FromMinutes(5))
        {
            throw new TimeoutException($"maildev holds {list.GetArrayLength()} messages of {messages}.");
        }
    }
}

static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);


static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set: ./infra/bench-notices.sh starts maildev and sets it.");

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
