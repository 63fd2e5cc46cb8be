using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Web.Services;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace MaintenancePortal.Server.Fleet;

/// <summary>
/// Seeds the demo fleet into the grains when the server starts (once: a fleet already recorded is
/// left alone), then starts a few maintenance events so live progress shows at once.
/// </summary>
public sealed partial class DemoFleetSeeder(
    IGrainFactory grains,
    IOperatorConsole console,
    IOptions<DemoFleetOptions> options,
    TimeProvider time,
    ILogger<DemoFleetSeeder> logger) : IHostedService
{
    /// <summary>How long the seeding waits for the cluster to settle before the start fails.</summary>
    private static readonly TimeSpan SettleWithin = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A silo that has just joined may still send calls to the silo that had its address before a
    /// hard stop, until the cluster declares that one dead (seconds): such calls are refused and
    /// tried again, as is a call to a silo that is going away. Seeding is safe to repeat.
    /// </summary>
    private readonly ResiliencePipeline _untilSettled = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddTimeout(SettleWithin)
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<OrleansMessageRejectionException>().Handle<SiloUnavailableException>().Handle<TimeoutException>(),
            MaxRetryAttempts = int.MaxValue,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxDelay = TimeSpan.FromSeconds(5),
            OnRetry = args =>
            {
                LogNotSettled(logger, args.AttemptNumber + 1, args.Outcome.Exception!.GetType().Name, args.Outcome.Exception.Message);
                return ValueTask.CompletedTask;
            },
        })
        .Build();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var fleet = DemoFleet.Generate(options.Value);
        if (!await _untilSettled.ExecuteAsync(async token => await grains.SeedAsync(fleet, token), cancellationToken))
        {
            return;
        }

        LogSeeded(logger, fleet.Tenants.Count, fleet.Hosts.Count, fleet.Instances.Count);

        // One host per tenant, from the last tenant backwards, so the first tenant's hosts stay free to try.
        var starts = fleet.Tenants.Reverse().Take(options.Value.StartMaintenanceOnStartup)
            .Select(t => fleet.Hosts.First(h => h.TenantId == t.TenantId).HostId);
        foreach (var hostId in starts)
        {
            try
            {
                await _untilSettled.ExecuteAsync(async token => await console.StartMaintenanceAsync(hostId, MaintenanceReason.FirmwareUpdate, token),
                    cancellationToken);
            }
            catch (DomainException ex)
            {
                // Started by an earlier try whose answer was lost: the demo needs no second one.
                LogDemoMaintenanceRefused(logger, hostId, ex.Message);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Seeded the demo fleet: {Tenants} tenants, {Hosts} hosts, {Instances} instances")]
    private static partial void LogSeeded(ILogger logger, int tenants, int hosts, int instances);

    [LoggerMessage(LogLevel.Warning, "Seeding the demo fleet, try {Attempt}: the cluster is still settling ({Error}: {Message})")]
    private static partial void LogNotSettled(ILogger logger, int attempt, string error, string message);

    [LoggerMessage(LogLevel.Information, "Demo maintenance of {HostId} not started: {Reason}")]
    private static partial void LogDemoMaintenanceRefused(ILogger logger, string hostId, string reason);
}
