using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MaintenancePortal.Server.Health;

/// <summary>Writes a health report as JSON: the overall status and each check's status and description.</summary>
public static class HealthReportWriter
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }
}
