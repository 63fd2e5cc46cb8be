using MaintenancePortal.Contracts;
using MaintenancePortal.Web.Services;
using MassTransit;

namespace MaintenancePortal.Server.Messaging;

/// <summary>Tells the pages open on this server that a tenant's maintenance changed.</summary>
public sealed class PortalUpdatesConsumer(PortalUpdates updates) : IConsumer<IMaintenanceLifecycleEvent>
{
    public Task Consume(ConsumeContext<IMaintenanceLifecycleEvent> context)
    {
        updates.Notify(context.Message.TenantId);
        return Task.CompletedTask;
    }
}
