using MaintenancePortal.Domain.Fleet;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Grains.Fleet;
using MaintenancePortal.Web.Services;
using Microsoft.Extensions.Options;

namespace MaintenancePortal.Server.Fleet;

/// <summary>
/// Seeds the demo fleet into the grains when the server starts (once: a fleet already recorded is
/// left alone), then starts a few maintenance events so live progress shows at once.
/// </summary>
public sealed partial class DemoFleetSeeder(
    IGrainFactory grains,
    IOperatorConsole console,
    IOptions<DemoFleetOptions> options,
    ILogger<DemoFleetSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var fleet = DemoFleet.Generate(options.Value);
        if (!await grains.SeedAsync(fleet, cancellationToken))
        {
            return;
        }

        LogSeeded(logger, fleet.Tenants.Count, fleet.Hosts.Count, fleet.Instances.Count);

        // One host per tenant, from the last tenant backwards, so the first tenant's hosts stay free to try.
        var starts = fleet.Tenants.Reverse().Take(options.Value.StartMaintenanceOnStartup)
            .Select(t => fleet.Hosts.First(h => h.TenantId == t.TenantId).HostId);
        foreach (var hostId in starts)
        {
            await console.StartMaintenanceAsync(hostId, MaintenanceReason.FirmwareUpdate, cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(LogLevel.Information, "Seeded the demo fleet: {Tenants} tenants, {Hosts} hosts, {Instances} instances")]
    private static partial void LogSeeded(ILogger logger, int tenants, int hosts, int instances);
}
