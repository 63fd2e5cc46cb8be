using MaintenancePortal.Grains.Events;
using MaintenancePortal.Server.Messaging;
using MassTransit;

namespace MaintenancePortal.Server.Extensions;

/// <summary>MassTransit: the bus lifecycle events are published on and the consumers of this process.</summary>
public static class MessagingExtensions
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.AddConsumer<PortalUpdatesConsumer>();
            bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
        });
        builder.Services.AddSingleton<ILifecycleEventPublisher, MassTransitLifecycleEventPublisher>();
        return builder;
    }
}
