using MaintenancePortal.Server.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddMaintenancePortal();

var app = builder.Build();
app.UseMaintenancePortal();
app.Run();
