using System.Collections.Immutable;
using KindCounts = System.Collections.Immutable.ImmutableSortedDictionary<MaintenancePortal.Domain.Notices.NoticeKind, int>;

namespace MaintenancePortal.Domain.Notices;

/// <summary>What an e-mail to a contact carries.</summary>
public enum MailKind
{
    /// <summary>The link that confirms the address; sent before anything else is.</summary>
    Confirmation,

    /// <summary>One notice, sent as it happens.</summary>
    Notice,

    /// <summary>The day's notices in one message, at the contact's hour.</summary>
    Digest,
}

/// <summary>Where an e-mail stands.</summary>
public enum MailStatus
{
    /// <summary>Waiting for its next attempt.</summary>
    Pending,

    /// <summary>The relay accepted it (250 after the message).</summary>
    Sent,

    /// <summary>The relay refused the address for good (5xx at the recipient): the contact is marked bounced.</summary>
    Bounced,

    /// <summary>The relay refused the message for good (5xx for the sender or the content).</summary>
    Refused,

    /// <summary>Every attempt of the schedule failed with a transient error.</summary>
    Exhausted,

    /// <summary>Not sent: the contact bounced, unsubscribed or was removed first.</summary>
    Dropped,
}

/// <summary>What a relay answered to one attempt.</summary>
public enum RelayOutcome
{
    /// <summary>250 after the message: delivered to the relay.</summary>
    Accepted,

    /// <summary>No connection, a timeout, a 4xx, or a refusal of the relay's own credentials: tried again later.</summary>
    Transient,

    /// <summary>A 5xx to the recipient: the address does not take mail.</summary>
    RecipientRefused,

    /// <summary>A 5xx to the sender or the message: this message will never be taken.</summary>
    MessageRefused,
}

/// <summary>A relay's answer to one attempt at one e-mail.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.RelayAnswer")]
public sealed record RelayAnswer(
    [property: Id(0)] string MailId,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] RelayOutcome Outcome,
    [property: Id(3)] int? Code,
    [property: Id(4)] string Text)
{
    /// <summary>
    /// What an SMTP reply code means for the e-mail: 2xx accepted, 4xx tried again, 5xx refused (for
    /// good: the address when it came for the recipient, else the message). A refusal of the relay's
    /// own credentials (530, 535) is the operator's to fix, so it is tried again rather than blamed on anyone.
    /// </summary>
    public static RelayOutcome Classify(int code, bool forRecipient) => code switch
    {
        >= 200 and < 300 => RelayOutcome.Accepted,
        530 or 534 or 535 or 538 => RelayOutcome.Transient,
        >= 500 and < 600 when forRecipient => RelayOutcome.RecipientRefused,
        >= 500 and < 600 => RelayOutcome.MessageRefused,
        _ => RelayOutcome.Transient,
    };
}

/// <summary>One e-mail on its way to a contact.</summary>
/// <param name="MailId">Its <c>Message-Id</c>: for a single notice the notice id and the contact id, so a message sent again after a crash is recognisably the same.</param>
/// <param name="Notices">What it tells (none for a confirmation; at most <see cref="ContactMailbox.DigestListed"/> for a digest).</param>
/// <param name="Counts">For a digest: how many notices of each kind the day had, listed or not.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.OutgoingMail")]
public sealed record OutgoingMail(
    [property: Id(0)] string MailId,
    [property: Id(1)] MailKind Kind,
    [property: Id(2)] ImmutableList<Notice> Notices,
    [property: Id(3)] KindCounts Counts,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] int Attempts,
    [property: Id(6)] DateTimeOffset NextAttemptAt)
{
    public bool IsDue(DateTimeOffset now) => NextAttemptAt <= now;

    /// <summary>How many notices it tells of.</summary>
    public int NoticeCount => Kind == MailKind.Digest ? Counts.Values.Sum() : Notices.Count;
}

/// <summary>One finished e-mail in a contact's delivery log.</summary>
/// <param name="About">What it was about, as the log shows it: the instance and kind of a notice, or the digest's count.</param>
/// <param name="Answer">The relay's last answer.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MailRecord")]
public sealed record MailRecord(
    [property: Id(0)] string MailId,
    [property: Id(1)] MailKind Kind,
    [property: Id(2)] string About,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset FinishedAt,
    [property: Id(5)] MailStatus Status,
    [property: Id(6)] int Attempts,
    [property: Id(7)] string? Answer);

/// <summary>
/// A contact's e-mail: the messages waiting for an attempt, the notices gathered for the next digest,
/// the delivery log, and the ids of the notices it took (so an event delivered twice is sent once).
/// Immutable: each change returns the next version. Bounded: the log keeps <see cref="LogKept"/>
/// e-mails, a digest lists <see cref="DigestListed"/> notices and counts the rest, and the ids are
/// kept in two generations of <see cref="SeenPerGeneration"/> (when the newer fills, it becomes the
/// older and the oldest is dropped), so at least the last <see cref="SeenPerGeneration"/> are known
/// and each look-up and addition takes logarithmic time.
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.ContactMailbox")]
public sealed record ContactMailbox(
    [property: Id(0)] ImmutableList<OutgoingMail> Pending,
    [property: Id(1)] ImmutableList<Notice> Digest,
    [property: Id(2)] KindCounts DigestCounts,
    [property: Id(3)] ImmutableList<MailRecord> Log,
    [property: Id(4)] ImmutableHashSet<string> Seen,
    [property: Id(5)] ImmutableHashSet<string> SeenBefore)
{
    public const int LogKept = 200;
    public const int SeenPerGeneration = 2_048;
    public const int DigestListed = 500;

    public static ContactMailbox Empty { get; } = new([], [], KindCounts.Empty, [], [], []);

    /// <summary>
    /// Takes the notices the contact chose and has not taken before: each at once as its own e-mail,
    /// or into the next digest. Returns how many it took.
    /// </summary>
    public ContactMailbox Take(NoticeContact contact, IEnumerable<Notice> notices, DateTimeOffset now, out int taken)
    {
        var (seen, before) = (Seen, SeenBefore);
        var fresh = new List<Notice>();
        foreach (var notice in notices)
        {
            if (!contact.Takes(notice.Kind) || seen.Contains(notice.NoticeId) || before.Contains(notice.NoticeId))
            {
                continue;
            }

            fresh.Add(notice);
            seen = seen.Add(notice.NoticeId);
            if (seen.Count >= SeenPerGeneration)
            {
                (seen, before) = ([], seen);
            }
        }

        taken = fresh.Count;
        if (taken == 0)
        {
            return this;
        }

        var next = this with { Seen = seen, SeenBefore = before };
        if (contact.Cadence == NoticeCadence.Immediate)
        {
            return next with
            {
                Pending = Pending.AddRange(fresh.Select(n => new OutgoingMail($"{n.NoticeId}.{contact.ContactId}", MailKind.Notice, [n], KindCounts.Empty, now, 0, now))),
            };
        }

        var counts = next.DigestCounts;
        foreach (var notice in fresh)
        {
            counts = counts.SetItem(notice.Kind, counts.GetValueOrDefault(notice.Kind) + 1);
        }

        return next with { Digest = Digest.AddRange(fresh.Take(DigestListed - Digest.Count)), DigestCounts = counts };
    }

    /// <summary>Queues the e-mail with the confirmation link.</summary>
    public ContactMailbox Confirmation(string mailId, DateTimeOffset now) =>
        this with { Pending = Pending.Add(new OutgoingMail(mailId, MailKind.Confirmation, [], KindCounts.Empty, now, 0, now)) };

    /// <summary>The digest is due: what it gathered becomes one e-mail (nothing when it gathered nothing).</summary>
    public ContactMailbox CloseDigest(string mailId, DateTimeOffset now) => DigestCounts.IsEmpty
        ? this
        : this with
        {
            Pending = Pending.Add(new OutgoingMail(mailId, MailKind.Digest, Digest, DigestCounts, now, 0, now)),
            Digest = [],
            DigestCounts = KindCounts.Empty,
        };

    /// <summary>The e-mails due now, oldest first, skipping those already on their way.</summary>
    public IEnumerable<OutgoingMail> Due(DateTimeOffset now, IReadOnlySet<string> onTheirWay) =>
        Pending.Where(m => m.IsDue(now) && !onTheirWay.Contains(m.MailId));

    /// <summary>
    /// Applies a relay's answer to its e-mail: sent, due again later by the retry schedule, or
    /// finished unsent. <paramref name="finished"/> is the e-mail when this answer finished it. An
    /// answer for an e-mail no longer waiting (dropped meanwhile) changes nothing.
    /// </summary>
    public ContactMailbox Record(RelayAnswer answer, double jitter, out (OutgoingMail Mail, MailStatus Status)? finished)
    {
        finished = null;
        var index = Pending.FindIndex(m => m.MailId == answer.MailId);
        if (index < 0)
        {
            return this;
        }

        var mail = Pending[index] with { Attempts = Pending[index].Attempts + 1 };
        MailStatus status;
        switch (answer.Outcome)
        {
            case RelayOutcome.Accepted:
                status = MailStatus.Sent;
                break;
            case RelayOutcome.RecipientRefused:
                status = MailStatus.Bounced;
                break;
            case RelayOutcome.MessageRefused:
                status = MailStatus.Refused;
                break;
            default:
                if (RetrySchedule.NextAttemptAt(mail.Attempts, answer.At, jitter) is { } next)
                {
                    return this with { Pending = Pending.SetItem(index, mail with { NextAttemptAt = next }) };
                }

                status = MailStatus.Exhausted;
                break;
        }

        finished = (mail, status);
        return this with
        {
            Pending = Pending.RemoveAt(index),
            Log = Keep(Log.Add(Record(mail, status, answer.At, Describe(answer))), LogKept),
        };
    }

    /// <summary>Stops every waiting e-mail (the contact bounced, unsubscribed or was removed); they go to the log as dropped.</summary>
    public ContactMailbox DropPending(DateTimeOffset now, string why) => Pending.IsEmpty && DigestCounts.IsEmpty
        ? this
        : this with
        {
            Pending = [],
            Digest = [],
            DigestCounts = KindCounts.Empty,
            Log = Keep(Log.AddRange(Pending.Select(m => Record(m, MailStatus.Dropped, now, why))), LogKept),
        };

    private static MailRecord Record(OutgoingMail mail, MailStatus status, DateTimeOffset at, string? answer) =>
        new(mail.MailId, mail.Kind, About(mail), mail.CreatedAt, at, status, mail.Attempts, answer);

    private static string About(OutgoingMail mail) => mail.Kind switch
    {
        MailKind.Confirmation => "Confirmation of the address",
        MailKind.Digest => $"Digest of {mail.NoticeCount} notice{(mail.NoticeCount == 1 ? "" : "s")}",
        _ => $"{mail.Notices[0].Kind}: {mail.Notices[0].InstanceName} ({mail.Notices[0].InstanceId})",
    };

    private static string Describe(RelayAnswer answer) => answer.Code is { } code ? $"{code} {answer.Text}" : answer.Text;

    private static ImmutableList<T> Keep<T>(ImmutableList<T> list, int count) =>
        list.Count <= count ? list : list.RemoveRange(0, list.Count - count);
}
