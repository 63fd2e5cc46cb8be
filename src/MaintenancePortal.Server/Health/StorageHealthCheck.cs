using MaintenancePortal.Server.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MaintenancePortal.Server.Health;

/// <summary>Healthy while the Azure Storage table service answers.</summary>
public sealed class StorageHealthCheck(DurableSettings settings) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await settings.Tables.GetPropertiesAsync(cancellationToken);
            return HealthCheckResult.Healthy($"Table service at {settings.Tables.Uri} answers.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Table service at {settings.Tables.Uri} does not answer ({settings.StorageSetting}).", ex);
        }
    }
}
