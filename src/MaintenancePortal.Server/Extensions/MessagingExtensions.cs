using MaintenancePortal.Grains.Events;
using MaintenancePortal.Server.Messaging;
using MassTransit;

namespace MaintenancePortal.Server.Extensions;

/// <summary>
/// MassTransit: the bus lifecycle events are published on, and the consumers of this process.
/// In-memory in the embedded profile; RabbitMQ (durable exchanges and queues, publisher confirms)
/// in the durable one. A consumer that can fail retries by its own definition, the same in both
/// profiles, so no message is retried twice over.
/// </summary>
public static class MessagingExtensions
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder, DurableSettings? durable)
    {
        builder.Services.AddMassTransit(bus =>
        {
            // Nothing phones home: MassTransit would otherwise report usage to its vendor after start.
            bus.ConfigureUsageTelemetryOptions(options => options.Enabled = false);
            bus.SetKebabCaseEndpointNameFormatter();
            // Every server shows its own open pages: a queue of its own (named for this process), gone when it stops.
            bus.AddConsumer<PortalUpdatesConsumer>().Endpoint(e =>
            {
                e.Temporary = true;
                e.InstanceId = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();
            });
            // One queue shared by every server: each event reaches the webhook endpoints once.
            bus.AddConsumer<WebhookDispatchConsumer, WebhookDispatchConsumerDefinition>();
            // Likewise for e-mail notices, on a queue of their own: a slow relay never holds up webhooks.
            bus.AddConsumer<NoticeDispatchConsumer, NoticeDispatchConsumerDefinition>();
            if (durable is null)
            {
                bus.UsingInMemory((context, transport) => transport.ConfigureEndpoints(context));
            }
            else
            {
                bus.UsingRabbitMq((context, transport) =>
                {
                    transport.Host(durable.RabbitMq, host => host.PublisherConfirmation = true);
                    transport.ConfigureEndpoints(context);
                });
            }
        });
        builder.Services.AddSingleton<ILifecycleEventPublisher, MassTransitLifecycleEventPublisher>();
        return builder;
    }
}
