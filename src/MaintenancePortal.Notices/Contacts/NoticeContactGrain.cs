using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Grains;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Grains.Delivery;
using MaintenancePortal.Grains.Instances;
using MaintenancePortal.Notices.Delivery;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Notices.Contacts;

/// <summary>
/// An e-mail contact: settings and state, its mailbox (the e-mails waiting, the next digest, the
/// delivery log, the notices it took), stored with every change before the change is acknowledged.
/// Attempts run off the grain's turn and report back through <see cref="RecordAsync"/>; a timer
/// wakes the grain when the next e-mail or digest is due, and a reminder, kept while anything
/// waits, brings it back after a deactivation or a crash. An e-mail whose answer never came back is
/// sent again, with the same <c>Message-Id</c>, once its lease ends.
/// </summary>
public sealed partial class NoticeContactGrain(
    [PersistentState("notice-contact", StorageNames.Maintenance)] IPersistentState<NoticeContactGrain.ContactRecord> state,
    IMailRelay relay,
    NoticeComposer composer,
    IPortalAddress portal,
    TimeProvider time,
    IOptions<NoticeOptions> options,
    ILogger<NoticeContactGrain> logger) : Grain, INoticeContactGrain, IRemindable
{
    private const string ReminderName = "notice-deliveries";
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly AttemptLeases _onTheirWay = new(options.Value.MaxInFlightPerContact);
    private INoticeContactGrain _self = null!;
    private WakeUpTimer _wakeUp = null!;
    private KeptReminder _reminder = null!;

    private NoticeContact Contact => state.State.Contact
        ?? throw new NotFoundException($"You have no notice contact {NoticeContactKey.Parse(this.GetPrimaryKeyString()).ContactId}.");

    private ContactMailbox Mailbox
    {
        get => state.State.Mailbox;
        set => state.State.Mailbox = value;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _self = this.AsReference<INoticeContactGrain>();
        var self = _self;
        _wakeUp = new WakeUpTimer(time, () => self.DeliverDueAsync());
        _reminder = new KeptReminder(this, ReminderName, ReminderPeriod);
        StartDue();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeUp.Dispose();
        return Task.CompletedTask;
    }

    public Task<ContactOverview?> GetAsync() => Task.FromResult(state.State.Contact is not null ? Overview() : null);

    public async Task<ContactOverview> CreateAsync(ContactSettings settings)
    {
        if (state.State.Contact is not null)
        {
            return Overview();
        }

        var (tenantId, contactId) = NoticeContactKey.Parse(this.GetPrimaryKeyString());
        var contact = NoticeContact.Create(contactId, tenantId, settings.Address, settings.Kinds.IsDefault ? null : settings.Kinds,
            settings.Cadence, settings.DigestHour, settings.TimeZone, time.GetUtcNow());
        state.State.Contact = contact;
        await NewLinksAsync();
        await QueueConfirmationAsync();
        return Overview();
    }

    public async Task<ContactOverview> UpdateAsync(ContactSettings settings)
    {
        var before = Contact;
        var after = before.Change(settings.Address, settings.Kinds.IsDefault ? null : settings.Kinds, settings.Cadence, settings.DigestHour,
            settings.TimeZone);
        state.State.Contact = after;
        if (after.Address != before.Address)
        {
            Mailbox = Mailbox.DropPending(time.GetUtcNow(), $"The address changed to {after.Address}.");
            state.State.DigestDueAt = null;
            _onTheirWay.Clear();
            await NewLinksAsync(); // links sent to the old address stop working
            await QueueConfirmationAsync();
            return Overview();
        }

        if (after.Cadence != before.Cadence || after.DigestHour != before.DigestHour || after.TimeZone != before.TimeZone)
        {
            state.State.DigestDueAt = Mailbox.DigestCounts.IsEmpty ? null : after.NextDigestAt(time.GetUtcNow());
        }

        await SaveAsync();
        StartDue();
        return Overview();
    }

    public async Task DeleteAsync()
    {
        _ = Contact;
        _wakeUp.Dispose();
        _onTheirWay.Clear();
        foreach (var (purpose, token) in Links())
        {
            await GrainFactory.GetGrain<IAddressTokenGrain>(AddressToken.Key(purpose, token)).RevokeAsync();
        }

        await state.ClearStateAsync();
        await _reminder.SetAsync(false);
        DeactivateOnIdle();
    }

    public async Task<ContactOverview> ResendConfirmationAsync()
    {
        if (Contact.State is not (ContactState.Unconfirmed or ContactState.Bounced))
        {
            throw new DomainException($"{Contact.Address} is {Contact.State}: there is nothing to confirm.");
        }

        if (Mailbox.Pending.Any(m => m.Kind == MailKind.Confirmation))
        {
            throw new DomainException($"A confirmation link is still on its way to {Contact.Address}.");
        }

        await QueueConfirmationAsync();
        return Overview();
    }

    public async Task<bool> ConfirmAsync(string token)
    {
        if (state.State.Contact is not { } contact || !AddressToken.Matches(token, state.State.ConfirmToken))
        {
            return false;
        }

        if (contact.State != ContactState.Confirmed)
        {
            state.State.Contact = contact.Confirm(time.GetUtcNow());
            await SaveAsync();
        }

        return true;
    }

    public async Task<bool> UnsubscribeAsync(string token)
    {
        if (state.State.Contact is not { } contact || !AddressToken.Matches(token, state.State.UnsubscribeToken))
        {
            return false;
        }

        if (contact.State != ContactState.Unsubscribed)
        {
            state.State.Contact = contact.Unsubscribe();
            Mailbox = Mailbox.DropPending(time.GetUtcNow(), "Unsubscribed.");
            state.State.DigestDueAt = null;
            await SaveAsync();
        }

        return true;
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<Notice> notices)
    {
        if (state.State.Contact is not { State: ContactState.Confirmed } contact)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        Mailbox = Mailbox.Take(contact, notices, now, out var taken);
        if (taken == 0)
        {
            return 0;
        }

        if (contact.Cadence == NoticeCadence.Digest && state.State.DigestDueAt is null)
        {
            state.State.DigestDueAt = contact.NextDigestAt(now);
        }

        await _reminder.SetAsync(true);
        await SaveAsync();
        StartDue();
        return taken;
    }

    public Task<bool> TakesAsync(NoticeKind kind) => Task.FromResult(state.State.Contact?.Takes(kind) ?? false);

    public async Task DeliverDueAsync()
    {
        if (state.State.Contact is null)
        {
            return;
        }

        if (state.State.DigestDueAt is { } due && due <= time.GetUtcNow())
        {
            Mailbox = Mailbox.CloseDigest($"digest-{Contact.ContactId}-{due:yyyyMMddHHmm}", time.GetUtcNow());
            state.State.DigestDueAt = null;
            await SaveAsync();
        }

        StartDue();
    }

    public async Task RecordAsync(RelayAnswer answer)
    {
        _onTheirWay.Answered(answer.MailId);
        if (state.State.Contact is not { } contact)
        {
            return;
        }

        Mailbox = Mailbox.Record(answer, Random.Shared.NextDouble(), out var finished);
        if (finished is { Status: MailStatus.Bounced })
        {
            state.State.Contact = contact.Bounce(answer.Code is { } code ? $"{code} {answer.Text}" : answer.Text);
            Mailbox = Mailbox.DropPending(answer.At, $"{contact.Address} bounced.");
            state.State.DigestDueAt = null;
        }
        else if (finished is { Status: MailStatus.Sent, Mail: var sent } && relay.Delivers)
        {
            ReportNoticesGiven(sent, contact.Address, answer.At);
        }

        await SaveAsync();
        StartDue();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (state.State.Contact is null || (Mailbox.Pending.IsEmpty && state.State.DigestDueAt is null))
        {
            await _reminder.SetAsync(false);
            return;
        }

        _reminder.Fired();
        await DeliverDueAsync();
    }

    /// <summary>
    /// Tells each move this e-mail announced that notice was given. Off the grain's turn: a report
    /// lost on the way only lets the move start later (at its latest start at most), never early.
    /// </summary>
    private void ReportNoticesGiven(OutgoingMail mail, string address, DateTimeOffset at)
    {
        foreach (var notice in mail.Notices.Where(n => n.Announces))
        {
            GrainFactory.GetGrain<IInstanceGrain>(notice.InstanceId)
                .NoticeGivenAsync(notice.Move!.MoveId, notice.Move.Action, at, NoticeChannel.Email, address).Ignore();
        }
    }

    private async Task QueueConfirmationAsync()
    {
        state.State.Confirmations++;
        Mailbox = Mailbox.Confirmation($"confirm-{Contact.ContactId}-{state.State.Confirmations}", time.GetUtcNow());
        await _reminder.SetAsync(true);
        await SaveAsync();
        StartDue();
    }

    /// <summary>New confirmation and unsubscribe links (indexed first, then kept here, then the old ones revoked).</summary>
    private async Task NewLinksAsync()
    {
        var key = this.GetPrimaryKeyString();
        state.State.ConfirmToken = await AddressTokenGrain.RotateAsync(GrainFactory, AddressPurpose.ContactConfirmation, key,
            state.State.ConfirmToken, token => { state.State.ConfirmToken = token; return SaveAsync(); });
        state.State.UnsubscribeToken = await AddressTokenGrain.RotateAsync(GrainFactory, AddressPurpose.Unsubscribe, key,
            state.State.UnsubscribeToken, token => { state.State.UnsubscribeToken = token; return SaveAsync(); });
    }

    private IEnumerable<(AddressPurpose Purpose, string Token)> Links()
    {
        if (state.State.ConfirmToken is { } confirm)
        {
            yield return (AddressPurpose.ContactConfirmation, confirm);
        }

        if (state.State.UnsubscribeToken is { } unsubscribe)
        {
            yield return (AddressPurpose.Unsubscribe, unsubscribe);
        }
    }

    /// <summary>Starts every due e-mail there is room for, then sets the wake-up for the next e-mail or the digest.</summary>
    private void StartDue()
    {
        if (state.State.Contact is not { } contact)
        {
            _wakeUp.Stop();
            return;
        }

        var now = time.GetUtcNow();
        var room = _onTheirWay.Room(now);
        var links = new ContactLinks(Link("notices/confirm/", state.State.ConfirmToken), Link("notices/unsubscribe/", state.State.UnsubscribeToken));
        foreach (var mail in Mailbox.Due(now, _onTheirWay.OnTheirWay).Take(room).ToList())
        {
            _onTheirWay.Take(mail.MailId, now + (2 * options.Value.Smtp.Timeout));
            var message = composer.Compose(contact, mail, links);
            var self = _self;
            _ = Task.Run(async () =>
            {
                RelayAnswer answer;
                try
                {
                    answer = await relay.SendAsync(mail.MailId, message, CancellationToken.None);
                }
                catch (Exception ex)
                {
                    LogSendFailed(logger, ex, mail.MailId);
                    answer = new RelayAnswer(mail.MailId, time.GetUtcNow(), RelayOutcome.Transient, null, "The attempt failed in the sender.");
                }

                try
                {
                    await self.RecordAsync(answer);
                }
                catch (Exception ex)
                {
                    LogRecordFailed(logger, ex, mail.MailId); // sent again once its lease ends, with the same Message-Id
                }
            });
        }

        SetWakeUp(now);
    }

    private Uri? Link(string path, string? token) => token is null ? null : new Uri(portal.Base, path + token);

    private void SetWakeUp(DateTimeOffset now)
    {
        var attempts = _onTheirWay.NextWakeUp(Mailbox.Pending.Select(m => (m.MailId, m.NextAttemptAt)));
        var digest = state.State.DigestDueAt ?? DateTimeOffset.MaxValue;
        _wakeUp.Set(attempts < digest ? attempts : digest, now);
    }

    private Task SaveAsync() => state.WriteOrReloadAsync(this); // a failed write drops the activation, whose memory is ahead of what is stored

    private ContactOverview Overview() => new(Contact, Mailbox.Pending.Count, Mailbox.DigestCounts.Values.Sum(), state.State.DigestDueAt, Mailbox.Log);

    [LoggerMessage(Level = LogLevel.Error, Message = "An attempt at e-mail {MailId} failed unexpectedly.")]
    private static partial void LogSendFailed(ILogger logger, Exception exception, string mailId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer for e-mail {MailId} could not be recorded; it is sent again later.")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string mailId);

    [GenerateSerializer, Alias("MaintenancePortal.NoticeContactRecord")]
    public sealed class ContactRecord
    {
        [Id(0)] public NoticeContact? Contact { get; set; }

        [Id(1)] public ContactMailbox Mailbox { get; set; } = ContactMailbox.Empty;

        [Id(2)] public string? ConfirmToken { get; set; }

        [Id(3)] public string? UnsubscribeToken { get; set; }

        /// <summary>When the digest gathering now is due; null while it gathers nothing.</summary>
        [Id(4)] public DateTimeOffset? DigestDueAt { get; set; }

        /// <summary>Confirmation e-mails queued so far (each gets its own id).</summary>
        [Id(5)] public int Confirmations { get; set; }
    }
}
