using System.Collections.Immutable;
using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains;
using MaintenancePortal.Grains.Delivery;
using MaintenancePortal.Grains.Instances;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Webhooks.Endpoints;

/// <summary>
/// A webhook endpoint: settings, secrets, waiting messages (stored with every change before it is
/// acknowledged) and the delivery log. Attempts run off the grain's turn (<see cref="DeliveryPump"/>)
/// and come back in batches through <see cref="RecordAttemptsAsync"/>, each held by a lease
/// (<see cref="AttemptLeases"/>). A <see cref="TimeProvider"/> timer wakes the grain when the next message is due; a
/// reminder, kept while messages wait, brings it back after a deactivation or a crash.
/// The results of attempts are stored a moment later in one write with what follows: one lost in
/// a crash only means that message is sent again, with the same id.
/// The endpoint's own state holds at most <see cref="Window"/> waiting messages; more go to a
/// backlog of segments (<see cref="IWebhookBacklogGrain"/>) and come back in order as room frees,
/// so no write grows with the backlog, however long a receiver is away.
/// </summary>
public sealed class WebhookEndpointGrain(
    [PersistentState("webhook-endpoint", StorageNames.Maintenance)] IPersistentState<WebhookEndpointGrain.EndpointRecord> record,
    [PersistentState("webhook-log", StorageNames.Maintenance)] IPersistentState<WebhookEndpointGrain.LogRecord> log,
    WebhookSender sender,
    TimeProvider time,
    IOptions<WebhookOptions> options,
    ILogger<WebhookEndpointGrain> logger) : Grain, IWebhookEndpointGrain, IRemindable
{
    private const string ReminderName = "webhook-deliveries";
    private const int Window = 64;
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan SaveDelay = TimeSpan.FromSeconds(1);

    private readonly AttemptLeases _onTheirWay = new(options.Value.MaxInFlightPerEndpoint);
    private EndpointDeliveries _deliveries = EndpointDeliveries.Empty;
    private DeliveryPump _pump = null!;
    private WakeUpTimer _wakeUp = null!;
    private KeptReminder _reminder = null!;
    private bool _recordUnsaved;
    private IGrainTimer? _saveTimer;


    private WebhookEndpoint Endpoint => record.State.Endpoint
        ?? throw new NotFoundException($"You have no webhook endpoint {WebhookEndpointKey.Parse(this.GetPrimaryKeyString()).EndpointId}.");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var self = this.AsReference<IWebhookEndpointGrain>();
        _wakeUp = new WakeUpTimer(time, () => self.DeliverDueAsync());
        _reminder = new KeptReminder(this, ReminderName, ReminderPeriod);
        _deliveries = new EndpointDeliveries(record.State.Pending, log.State.Finished, log.State.Attempts, log.State.Notices);
        _pump = new DeliveryPump(sender, time, self.RecordAttemptsAsync, logger);
        StartDue();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _wakeUp.Dispose();
        _pump.Stop(); // results still on their way are dropped: those messages are sent again (same id) by the next activation
        await SaveLaterAsync(cancellationToken);
    }

    public Task<EndpointOverview?> GetAsync() =>
        Task.FromResult(record.State.Endpoint is not null ? Overview() : null);

    public async Task<EndpointOverview> CreateAsync(EndpointSettings settings)
    {
        if (record.State.Endpoint is not null)
        {
            return Overview();
        }

        var (tenantId, endpointId) = WebhookEndpointKey.Parse(this.GetPrimaryKeyString());
        record.State.Endpoint = WebhookEndpoint.Create(endpointId, tenantId, settings, time.GetUtcNow());
        await SaveAsync();
        return Overview();
    }

    public async Task<EndpointOverview> UpdateAsync(EndpointSettings settings)
    {
        var updated = Endpoint.Update(settings);
        await ChangeAsync(updated);
        return Overview();
    }

    public async Task DeleteAsync()
    {
        _ = Endpoint;
        _wakeUp.Dispose();
        _deliveries = EndpointDeliveries.Empty;
        _onTheirWay.Clear();
        await ClearBacklogAsync();
        await record.ClearStateAsync();
        await log.ClearStateAsync();
        _recordUnsaved = false;
        await _reminder.SetAsync(false);
        DeactivateOnIdle();
    }

    public async Task<EndpointOverview> CheckAsync()
    {
        var endpoint = Endpoint;
        var now = time.GetUtcNow();
        var failure = await sender.CheckAsync(endpoint.Settings.Url, WebhookPayload.TestMessage(endpoint.EndpointId, now),
            endpoint.SigningSecrets(now));
        await ChangeAsync(failure is null ? endpoint.Verified() : endpoint.VerificationFailed(failure));
        return Overview();
    }

    public async Task<EndpointOverview> SetEnabledAsync(bool enabled)
    {
        await ChangeAsync(enabled ? Endpoint.Enable() : Endpoint.Disable("Disabled by the tenant."));
        return Overview();
    }

    public async Task<EndpointOverview> RotateSecretAsync()
    {
        record.State.Endpoint = Endpoint.RotateSecret(time.GetUtcNow());
        await SaveAsync();
        return Overview();
    }

    public async Task<int> EnqueueAsync(IReadOnlyList<WebhookMessage> messages)
    {
        if (record.State.Endpoint is not { } endpoint)
        {
            return 0;
        }

        var taken = messages.Where(m => endpoint.Selects(m.EventType, m.Subject)).ToList();
        if (taken.Count > 0)
        {
            await AddAsync(taken);
        }

        return taken.Count;
    }

    public async Task<string> SendTestEventAsync()
    {
        if (Endpoint.Status != EndpointStatus.Enabled)
        {
            throw new DomainException("The endpoint is not enabled: pass the registration check or enable it first.");
        }

        var message = WebhookPayload.TestMessage(Endpoint.EndpointId, time.GetUtcNow());
        await AddAsync([message]);
        return message.MessageId;
    }

    public async Task ReplayAsync(string messageId)
    {
        EnsureEnabledForReplay();
        var replayed = _deliveries.Replay(messageId, time.GetUtcNow());
        await _reminder.SetAsync(true); // before anything changes, as for new messages
        _deliveries = replayed;
        await QueuedAsync();
    }

    public async Task<int> ReplaySinceAsync(DateTimeOffset since, bool failedOnly)
    {
        EnsureEnabledForReplay();
        var replayed = _deliveries.ReplaySince(since, failedOnly, time.GetUtcNow(), out var count);
        if (count > 0)
        {
            await _reminder.SetAsync(true); // before anything changes, as for new messages
            _deliveries = replayed;
            await QueuedAsync();
        }

        return count;
    }

    public Task<EndpointDeliveries> GetDeliveriesAsync()
    {
        _ = Endpoint;
        return Task.FromResult(_deliveries);
    }

    public async Task DeliverDueAsync()
    {
        await RefillAsync();
        StartDue();
    }

    public async Task RecordAttemptsAsync(IReadOnlyList<DeliveryAttempt> attempts)
    {
        if (record.State.Endpoint is not { } before)
        {
            return;
        }

        var after = before;
        var given = new List<(MoveAnnouncement Move, DateTimeOffset At)>();
        foreach (var attempt in attempts)
        {
            _onTheirWay.Answered(attempt.MessageId);
            if (attempt.Outcome == AttemptOutcome.Delivered
                && _deliveries.Pending.Find(m => m.MessageId == attempt.MessageId) is { Announces: { } announced })
            {
                given.Add((announced, attempt.At));
            }

            _deliveries = _deliveries.Record(attempt, Random.Shared.NextDouble());
            after = after.After(attempt);
        }

        ReportNoticesGiven(given);
        if (after.Status == EndpointStatus.Disabled && before.Status != EndpointStatus.Disabled)
        {
            await ChangeAsync(after);
            return;
        }

        record.State.Endpoint = after;
        _recordUnsaved = true;
        SaveSoon();
        await RefillAsync();
        StartDue();
    }

    /// <summary>
    /// Tells each announced move that this endpoint acknowledged its announcement, off the grain's
    /// turn. A report lost on the way only lets the move start later (at its latest start at most), never early.
    /// </summary>
    private void ReportNoticesGiven(List<(MoveAnnouncement Move, DateTimeOffset At)> given)
    {
        var endpointId = WebhookEndpointKey.Parse(this.GetPrimaryKeyString()).EndpointId;
        foreach (var (move, at) in given)
        {
            GrainFactory.GetGrain<IInstanceGrain>(move.InstanceId)
                .NoticeGivenAsync(move.MoveId, move.Action, at, NoticeChannel.Webhook, endpointId).Ignore();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (record.State.Endpoint is null || (_deliveries.Pending.IsEmpty && record.State.Backlog.IsEmpty))
        {
            await _reminder.SetAsync(false);
            return;
        }

        _reminder.Fired();
        await RefillAsync();
        StartDue();
    }

    /// <summary>
    /// Stores a state change now. Disabling abandons what waits in the endpoint's own state (kept in
    /// the log, where it can be replayed) and drops the backlog; the tenant is told how much.
    /// </summary>
    private async Task ChangeAsync(WebhookEndpoint endpoint)
    {
        var now = time.GetUtcNow();
        if (endpoint.Status == EndpointStatus.Disabled && record.State.Endpoint?.Status != EndpointStatus.Disabled)
        {
            var dropped = await ClearBacklogAsync();
            _deliveries = _deliveries.AbandonAll(now).Notify(now, WebhookNoticeKind.EndpointDisabled, $"Endpoint disabled: {endpoint.StatusReason}"
                + (dropped > 0 ? $" {dropped} more queued messages were dropped." : ""));
        }

        record.State.Endpoint = endpoint;
        await SaveAsync();
        await RefillAsync();
        StartDue();
    }

    private void EnsureEnabledForReplay()
    {
        if (Endpoint.Status != EndpointStatus.Enabled)
        {
            throw new DomainException("Enable the endpoint before replaying: a disabled endpoint receives nothing.");
        }
    }

    /// <summary>
    /// Queues new messages: into the endpoint's own state while it has room and nothing waits in
    /// the backlog (so the order holds), the rest in a new segment at the end of the backlog (each
    /// segment is written once). The segment is named in the endpoint's state before anything is
    /// put in it, so nothing stored can be lost.
    /// </summary>
    private async Task AddAsync(IReadOnlyList<WebhookMessage> messages)
    {
        var fresh = _deliveries.Unknown(messages);
        if (fresh.Count == 0)
        {
            return;
        }

        await _reminder.SetAsync(true); // before anything changes: a refusal leaves nothing half-taken for the caller's retry to skip
        var room = record.State.Backlog.IsEmpty ? Math.Max(0, Window - _deliveries.Pending.Count) : 0;
        _deliveries = _deliveries.Enqueue(fresh.Take(room));
        var spilled = fresh.Skip(room).ToList();
        if (spilled.Count > 0)
        {
            record.State.Backlog = record.State.Backlog.Add(record.State.NextSegment++);
            record.State.Backlogged += spilled.Count;
        }

        await QueuedAsync();
        if (spilled.Count > 0)
        {
            await Segment(record.State.Backlog[^1]).AppendAsync(spilled);
        }
    }

    /// <summary>Moves messages from the head of the backlog into the endpoint's own state while it has room.</summary>
    private async Task RefillAsync()
    {
        while (!record.State.Backlog.IsEmpty && _deliveries.Pending.Count <= Window / 2
               && record.State.Endpoint?.Status == EndpointStatus.Enabled)
        {
            var segment = Segment(record.State.Backlog[0]);
            var messages = await segment.PeekAsync(Window - _deliveries.Pending.Count);
            if (messages.Count > 0)
            {
                // Stored here before the segment lets them go: a crash in between sends some twice, never loses one.
                _deliveries = _deliveries.Enqueue(messages);
                record.State.Backlogged = Math.Max(0, record.State.Backlogged - messages.Count);
                await SaveAsync(withLog: false);
            }

            if (messages.Count == 0 || await segment.DropAsync([.. messages.Select(m => m.MessageId)]) == 0)
            {
                record.State.Backlog = record.State.Backlog.RemoveAt(0);
                if (record.State.Backlog.IsEmpty)
                {
                    record.State.Backlogged = 0;
                }

                await SaveAsync(withLog: false);
            }
        }
    }

    /// <summary>Empties every backlog segment; returns how many messages they held.</summary>
    private async Task<int> ClearBacklogAsync()
    {
        var counts = await Task.WhenAll(record.State.Backlog.Select(n => Segment(n).ClearAsync()));
        (record.State.Backlog, record.State.Backlogged) = ([], 0);
        return counts.Sum();
    }

    private IWebhookBacklogGrain Segment(long number) =>
        GrainFactory.GetGrain<IWebhookBacklogGrain>($"{this.GetPrimaryKeyString()}/{number}");

    /// <summary>
    /// Messages were queued: they are stored (the caller set the reminder before it changed
    /// anything, so none can wait without one). The log (a replay takes messages out of it) is
    /// stored a moment later.
    /// </summary>
    private async Task QueuedAsync()
    {
        await SaveAsync(withLog: false);
        if (LogChanged)
        {
            SaveSoon();
        }

        StartDue();
    }

    /// <summary>Starts every due attempt there is room for, then sets the wake-up for the next.</summary>
    private void StartDue()
    {
        if (record.State.Endpoint is not { Status: EndpointStatus.Enabled } endpoint)
        {
            _wakeUp.Stop();
            return;
        }

        var now = time.GetUtcNow();
        var room = _onTheirWay.Room(now);
        var secrets = endpoint.SigningSecrets(now);
        foreach (var message in _deliveries.Due(now, _onTheirWay.OnTheirWay).Take(room).ToList())
        {
            // The result is reported after the timeout at the latest; twice that is the lease.
            _onTheirWay.Take(message.MessageId, now + (2 * options.Value.Timeout));
            _pump.Start(endpoint.Settings.Url, message, secrets, message.TotalAttempts + 1);
        }

        // With room on the way and in the endpoint's state, the backlog refills at once.
        var refill = !record.State.Backlog.IsEmpty && _deliveries.Pending.Count <= Window / 2 && _onTheirWay.Room(now) > 0;
        _wakeUp.Set(refill ? now : _onTheirWay.NextWakeUp(_deliveries.Pending.Select(m => (m.MessageId, m.NextAttemptAt))), now);
    }

    private EndpointOverview Overview() => EndpointOverview.Of(Endpoint, _deliveries, record.State.Backlogged);

    private bool LogChanged => !ReferenceEquals(log.State.Finished, _deliveries.Finished)
        || !ReferenceEquals(log.State.Attempts, _deliveries.Attempts) || !ReferenceEquals(log.State.Notices, _deliveries.Notices);

    /// <summary>Starts the timer that stores later what was not stored at once; an endpoint activated only to be read never runs it.</summary>
    private void SaveSoon() =>
        _saveTimer ??= this.RegisterGrainTimer(SaveLaterAsync, new GrainTimerCreationOptions(SaveDelay, SaveDelay));

    /// <summary>Stores what changed since the last write: results of attempts, and the log.</summary>
    private async Task SaveLaterAsync(CancellationToken cancellationToken)
    {
        if (record.State.Endpoint is null)
        {
            return;
        }

        if (_recordUnsaved)
        {
            await SaveAsync();
        }
        else if (LogChanged)
        {
            await SaveLogAsync();
        }
    }

    /// <summary>Stores the endpoint and its waiting messages now, and the log unless told not to.</summary>
    private async Task SaveAsync(bool withLog = true)
    {
        record.State.Pending = _deliveries.Pending;
        await record.WriteOrReloadAsync(this); // a failed write drops the activation, whose memory is ahead of what is stored
        _recordUnsaved = false;
        if (withLog && LogChanged)
        {
            await SaveLogAsync();
        }
    }

    private Task SaveLogAsync()
    {
        (log.State.Finished, log.State.Attempts, log.State.Notices) = (_deliveries.Finished, _deliveries.Attempts, _deliveries.Notices);
        return log.WriteStateAsync();
    }

    [GenerateSerializer, Alias("MaintenancePortal.WebhookEndpointRecord")]
    public sealed class EndpointRecord
    {
        [Id(0)] public WebhookEndpoint? Endpoint { get; set; }

        [Id(1)] public ImmutableList<WebhookMessage> Pending { get; set; } = [];

        /// <summary>The backlog's segments, oldest first.</summary>
        [Id(2)] public ImmutableList<long> Backlog { get; set; } = [];

        [Id(3)] public long NextSegment { get; set; }

        /// <summary>About how many messages the backlog holds (for display).</summary>
        [Id(4)] public int Backlogged { get; set; }
    }

    [GenerateSerializer, Alias("MaintenancePortal.WebhookLogRecord")]
    public sealed class LogRecord
    {
        [Id(0)] public ImmutableList<WebhookMessage> Finished { get; set; } = [];

        [Id(1)] public ImmutableList<DeliveryAttempt> Attempts { get; set; } = [];

        [Id(2)] public ImmutableList<WebhookNotice> Notices { get; set; } = [];
    }
}
