namespace MaintenancePortal.Domain.Migration;

/// <summary>When a live migration may switch to post-copy.</summary>
public enum PostCopyMode
{
    /// <summary>Never: a migration that cannot converge fails and the instance is moved by reboot.</summary>
    Never,

    /// <summary>Only as the last step of escalation, once throttling has not made pre-copy converge.</summary>
    AfterEscalation,

    /// <summary>Hybrid: a few pre-copy rounds, then post-copy for whatever is left.</summary>
    Hybrid,
}

/// <summary>
/// How a live migration is run and when it escalates. Bound from the "Migration" configuration
/// section; the defaults follow QEMU (300 ms limit, auto-converge 20 % + 10 % up to 99 %) and Xen
/// (plain pre-copy gives up after 30 rounds or 3×M sent).
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationPolicy")]
public sealed record MigrationPolicy
{
    public const string SectionName = "Migration";

    /// <summary>The longest pause stop-and-copy may take.</summary>
    [Id(0)]
    public TimeSpan DowntimeLimit { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The pause aimed for: rounds continue while they still pay, until the remainder fits this.</summary>
    [Id(1)]
    public TimeSpan DowntimeTarget { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>Plain pre-copy escalates after this many rounds…</summary>
    [Id(2)]
    public int MaxRounds { get; init; } = 30;

    /// <summary>…or once this many times the memory has been sent.</summary>
    [Id(3)]
    public double MaxTransferFactor { get; init; } = 3.0;

    /// <summary>Throttle the instance's vCPUs when pre-copy does not converge.</summary>
    [Id(4)]
    public bool AutoConverge { get; init; } = true;

    [Id(5)]
    public double InitialThrottle { get; init; } = 0.20;

    [Id(6)]
    public double ThrottleStep { get; init; } = 0.10;

    [Id(7)]
    public double MaxThrottle { get; init; } = 0.99;

    /// <summary>
    /// Once escalated, the throttle steps up after every round that leaves more than this share of
    /// what it sent (QEMU's throttle-trigger-threshold, 50 %).
    /// </summary>
    [Id(8)]
    public double ThrottleTriggerRatio { get; init; } = 0.50;

    /// <summary>Rounds allowed after escalation starts, before post-copy or failure.</summary>
    [Id(9)]
    public int MaxEscalationRounds { get; init; } = 20;

    [Id(10)]
    public PostCopyMode PostCopy { get; init; } = PostCopyMode.Never;

    /// <summary>Pre-copy rounds before a hybrid migration switches to post-copy.</summary>
    [Id(11)]
    public int HybridPreCopyRounds { get; init; } = 2;

    /// <summary>CPU and device state sent while the instance is paused.</summary>
    [Id(12)]
    public long DeviceStateBytes { get; init; } = 4 * MigrationWorkload.MiB;

    /// <summary>A round that leaves more than this share of what it sent is not converging.</summary>
    [Id(13)]
    public double NotConvergingRatio { get; init; } = 0.95;

    /// <summary>Once the pause fits the limit, a round that leaves more than this share is not worth another.</summary>
    [Id(14)]
    public double WorthAnotherRoundRatio { get; init; } = 0.80;

    /// <summary>
    /// Plain pre-copy with Xen's limits and no escalation (a baseline): it stops after 30 rounds or
    /// once 3×M has been sent, and by no other rule (a round that does not shrink is no reason).
    /// </summary>
    public static MigrationPolicy PlainPreCopy { get; } = new()
    {
        DowntimeTarget = TimeSpan.FromMilliseconds(300),
        AutoConverge = false,
        PostCopy = PostCopyMode.Never,
        NotConvergingRatio = double.PositiveInfinity,
    };
}
