namespace MaintenancePortal.Domain.Maintenance;

/// <summary>Where a live migration stands.</summary>
/// <param name="Round">0 is the full copy; later rounds resend dirtied pages.</param>
/// <param name="ExpectedDowntimeMs">The pause if the VM were stopped now: remaining bytes over bandwidth.</param>
/// <param name="ThrottlePercent">vCPU time taken away by auto-converge to slow the dirtying (0 when not escalated).</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MigrationProgress")]
public sealed record MigrationProgress(
    [property: Id(0)] int Round,
    [property: Id(1)] long BytesSent,
    [property: Id(2)] long RemainingBytes,
    [property: Id(3)] double DirtyRateMiBps,
    [property: Id(4)] double ExpectedDowntimeMs,
    [property: Id(5)] double PercentComplete,
    [property: Id(6)] double ThrottlePercent = 0)
{
    /// <summary>Progress is worth announcing at each new round, and every ten points within a long round.</summary>
    public const double ReportingStepPercent = 10;

    public bool IsWorthReportingAfter(MigrationProgress? last) =>
        last is null || Round != last.Round || PercentComplete - last.PercentComplete >= ReportingStepPercent;
}
