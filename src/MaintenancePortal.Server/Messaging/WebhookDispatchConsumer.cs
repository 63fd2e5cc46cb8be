using MaintenancePortal.Contracts;
using MaintenancePortal.Webhooks;
using MaintenancePortal.Webhooks.Subscriptions;
using MassTransit;

namespace MaintenancePortal.Server.Messaging;

/// <summary>
/// Hands every lifecycle event to the webhook endpoints of its tenant. One shared queue across the
/// servers, so each event is dispatched once; a redelivered event makes the same message id, which
/// an endpoint that already has it does not queue again.
/// </summary>
public sealed class WebhookDispatchConsumer(IGrainFactory grains, TimeProvider time) : IConsumer<IMaintenanceLifecycleEvent>
{
    public Task Consume(ConsumeContext<IMaintenanceLifecycleEvent> context)
    {
        var @event = LifecycleEventMessages.Concrete(context);
        return grains.GetGrain<IWebhookSubscriptionsGrain>(@event.TenantId).DispatchAsync(WebhookPayload.MessageOf(@event, time.GetUtcNow()));
    }
}

/// <summary>Retries a dispatch that failed (a grain moving to another silo) before the message goes to the error queue.</summary>
public sealed class WebhookDispatchConsumerDefinition : ConsumerDefinition<WebhookDispatchConsumer>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<WebhookDispatchConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseMessageRetry(retry => retry.Intervals(100, 1_000, 5_000, 15_000));
}
