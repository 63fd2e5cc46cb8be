using MaintenancePortal.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
try
{
    await builder.AddMaintenancePortalAsync();
}
catch (PortalConfigurationException ex)
{
    // A wrong or missing setting: say which, without a stack trace, and stop.
    await Console.Error.WriteLineAsync($"MaintenancePortal cannot start: {ex.Message}");
    return 2;
}

var app = builder.Build();
app.UseMaintenancePortal();
await app.RunAsync();
return 0;
