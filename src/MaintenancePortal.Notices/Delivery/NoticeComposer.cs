using System.Reflection;
using System.Text.Encodings.Web;
using Fluid;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MaintenancePortal.Notices.Delivery;

/// <summary>Where the portal is, as tenants reach it: the links in notices start here.</summary>
public interface IPortalAddress
{
    /// <summary>The portal's base address, ending in a slash.</summary>
    Uri Base { get; }
}

/// <summary>The secret links of one contact's messages.</summary>
public sealed record ContactLinks(Uri? Confirm, Uri? Unsubscribe);

/// <summary>
/// Turns a contact's e-mail into a MIME message: a plain-text and an HTML body rendered by Fluid from
/// the templates in <c>Templates/</c> (values HTML-encoded by the encoder, never pasted in), times in
/// the contact's zone, the move's page with its reschedule and approve links, an iCalendar attachment
/// of the moves a message announces (written by <see cref="MoveCalendar"/>, as the feed writes them),
/// the receipt of a completed move, and <c>List-Unsubscribe</c> with one-click unsubscribe (RFC 8058).
/// </summary>
public sealed class NoticeComposer
{
    private static readonly FluidParser Parser = new();
    private static readonly IFluidTemplate Html = Load("mail.html.liquid");
    private static readonly IFluidTemplate Text = Load("mail.txt.liquid");
    private static readonly TemplateOptions Options = CreateOptions();

    private readonly NoticeOptions _options;
    private readonly IPortalAddress _portal;
    private readonly TimeProvider _time;

    public NoticeComposer(IOptions<NoticeOptions> options, IPortalAddress portal, TimeProvider time)
    {
        _options = options.Value;
        _portal = portal;
        _time = time;
    }

    public MimeMessage Compose(NoticeContact contact, OutgoingMail mail, ContactLinks links)
    {
        var portal = _portal.Base.ToString();
        var model = Model(contact, mail, links, portal);
        var message = new MimeMessage
        {
            Subject = Subject(contact, mail),
            MessageId = $"{mail.MailId}@{_portal.Base.Host}",
            Date = _time.GetUtcNow(),
        };
        message.From.Add(new MailboxAddress(_options.FromName, _options.From));
        message.To.Add(MailboxAddress.Parse(contact.Address));
        message.Headers.Add("Auto-Submitted", "auto-generated");
        if (mail.Kind != MailKind.Confirmation && links.Unsubscribe is { } unsubscribe)
        {
            message.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribe}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }

        var body = new BodyBuilder
        {
            TextBody = Text.Render(new TemplateContext(model, Options), NullEncoder.Default),
            HtmlBody = Html.Render(new TemplateContext(model, Options), HtmlEncoder.Default),
        };
        var announced = mail.Notices.Where(n => n.Announces).Select(n => n.Move!).ToList();
        if (announced.Count > 0)
        {
            var calendar = MoveCalendar.Write(announced, _time.GetUtcNow(), portal + "migrations/");
            body.Attachments.Add("maintenance.ics", System.Text.Encoding.UTF8.GetBytes(calendar),
                new ContentType("text", "calendar") { Charset = "utf-8", Parameters = { { "method", "PUBLISH" } } });
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>The subject line: what happened to which instance, and when, in the contact's zone.</summary>
    public static string Subject(NoticeContact contact, OutgoingMail mail)
    {
        if (mail.Kind == MailKind.Confirmation)
        {
            return $"Confirm that {contact.Address} gets maintenance notices";
        }

        if (mail.Kind == MailKind.Digest)
        {
            return $"Maintenance digest: {mail.NoticeCount} notice{(mail.NoticeCount == 1 ? "" : "s")}";
        }

        return Headline(contact, mail.Notices[0]);
    }

    private static string Headline(NoticeContact contact, Notice notice)
    {
        var name = notice.InstanceName;
        var updated = notice is { Announces: true, Move.Sequence: > 0 } ? "Updated: " : "";
        return notice.Kind switch
        {
            NoticeKind.Scheduled => $"{updated}Live migration of {name} from {contact.Show(notice.Move!.NotBefore)}",
            NoticeKind.RebootFallback => $"{updated}Reboot-based move of {name} from {contact.Show(notice.Move!.NotBefore)}",
            NoticeKind.SlaAtRisk => $"At risk: {name} may not be moved by {contact.Show(notice.Deadline)}",
            NoticeKind.Completed => $"Moved: {name}" + (notice.Receipt is { } r ? $", paused {Readable.Milliseconds(r.DowntimeMs)}" : ""),
            _ => $"Cancelled: the move of {name}",
        };
    }

    private MailModel Model(NoticeContact contact, OutgoingMail mail, ContactLinks links, string portal)
    {
        var (title, intro) = mail.Kind switch
        {
            MailKind.Confirmation => (Subject(contact, mail),
                $"Someone with access to your maintenance portal asked for maintenance notices to be sent to {contact.Address}. Confirm the address to start receiving them."),
            MailKind.Digest => (Subject(contact, mail), $"The maintenance of your instances since your last digest, at {contact.DigestHour:00}:00 {contact.TimeZone}."),
            _ => (Subject(contact, mail), Intro(mail.Notices[0].Kind)),
        };
        var notices = mail.Notices.Select(n => Notice(contact, n, portal)).ToList();
        var counts = mail.Counts.Select(c => new CountModel(c.Key.Describe(), c.Value)).ToList();
        return new MailModel(mail.Kind.ToString(), title, intro, contact.Address, contact.TimeZone, notices, counts,
            Math.Max(0, mail.NoticeCount - notices.Count), portal, links.Confirm?.ToString(), links.Unsubscribe?.ToString());
    }

    private static NoticeModel Notice(NoticeContact contact, Notice notice, string portal)
    {
        var move = notice.Move;
        var receipt = notice.Receipt is { } r && move is not null
            ? new ReceiptModel(r.Method is { } method ? $"live migration ({method})" : "reboot", Readable.Milliseconds(r.DowntimeMs),
                Readable.Duration(r.TotalTime), r.Rounds, Readable.Bytes(r.BytesTransferred), move.SourceHostId, move.DestinationHostId,
                r.InstanceIdKept && r.PrivateIpKept)
            : null;
        var pending = move is { State: MoveState.Scheduled } && notice.Kind != NoticeKind.Cancelled;
        return new NoticeModel(notice.Kind.Describe(), Headline(contact, notice), notice.InstanceName, notice.InstanceId,
            move?.PrivateIp ?? "", (move?.Reason)?.Describe() ?? "", move is null ? "none yet: no host has room" : ActionName(move.Action),
            pending && move!.NotBefore != DateTimeOffset.MaxValue ? contact.Show(move.NotBefore) : null,
            pending ? contact.Show(move!.LatestStart) : null,
            contact.Show(notice.Deadline),
            move?.PredictedPause is { } pause && notice.Kind != NoticeKind.Completed ? Readable.Pause(pause) : null,
            notice.Detail,
            move is null ? null : $"{portal}migrations/{Uri.EscapeDataString(move.MoveId)}",
            pending && move!.CanBeRescheduled,
            receipt,
            notice.Kind == NoticeKind.Completed && move?.Notice is { GivenAt: { } given } told
                ? $"{contact.Show(given)}, {told.HowGiven}"
                : null);
    }

    private static string Intro(NoticeKind kind) => kind switch
    {
        NoticeKind.Scheduled => "One of your instances will be live-migrated to another host. It keeps running, with its ID and IP; it pauses only for the final copy.",
        NoticeKind.RebootFallback => "One of your instances will be moved by a reboot: stopped on its host and started on another, with the same ID and IP. You can pick another time before the latest start, or approve it now.",
        NoticeKind.SlaAtRisk => "The move of one of your instances may not finish before its maintenance deadline.",
        NoticeKind.Completed => "One of your instances was moved. Its receipt:",
        _ => "A move of one of your instances was called off; the instance stays where it is.",
    };

    private static string ActionName(MoveAction action) =>
        action == MoveAction.LiveMigration ? "live migration (it keeps running)" : "reboot-based move (stopped and started on another host)";

    private static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions();
        options.MemberAccessStrategy.Register<MailModel>();
        options.MemberAccessStrategy.Register<NoticeModel>();
        options.MemberAccessStrategy.Register<ReceiptModel>();
        options.MemberAccessStrategy.Register<CountModel>();
        return options;
    }

    private static IFluidTemplate Load(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"MaintenancePortal.Notices.Templates.{name}")
                           ?? throw new InvalidOperationException($"The template {name} is not embedded.");
        using var reader = new StreamReader(stream);
        return Parser.TryParse(reader.ReadToEnd(), out var template, out var error)
            ? template
            : throw new InvalidOperationException($"The template {name} does not parse: {error}");
    }
}
