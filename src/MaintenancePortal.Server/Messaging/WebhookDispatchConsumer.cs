using MaintenancePortal.Contracts;
using MaintenancePortal.Webhooks;
using MaintenancePortal.Webhooks.Subscriptions;
using MassTransit;

namespace MaintenancePortal.Server.Messaging;

/// <summary>
/// Hands lifecycle events to the webhook endpoints of their tenants, in batches: the events that
/// arrived within a few milliseconds go to each tenant's endpoints in one call, and each endpoint
/// stores what it takes in one write. One shared queue across the servers, so each event is
/// dispatched once; a redelivered event makes the same message id, which an endpoint that already
/// has it does not queue again.
/// </summary>
public sealed class WebhookDispatchConsumer(IGrainFactory grains, TimeProvider time) : IConsumer<Batch<IMaintenanceLifecycleEvent>>
{
    public Task Consume(ConsumeContext<Batch<IMaintenanceLifecycleEvent>> context)
    {
        var now = time.GetUtcNow();
        return Task.WhenAll(context.Message
            .Select(LifecycleEventMessages.Concrete)
            .GroupBy(e => e.TenantId, StringComparer.Ordinal)
            .Select(tenant => grains.GetGrain<IWebhookSubscriptionsGrain>(tenant.Key)
                .DispatchAsync([.. tenant.Select(e => WebhookPayload.MessageOf(e, now))])));
    }
}

/// <summary>
/// Batches of up to 100 lifecycle events gathered for at most 10 ms, four batches at a time; a
/// dispatch that failed (a grain moving to another silo) is retried before its events go to the
/// error queue. The same for every consumer that hands events on to grains.
/// </summary>
public abstract class LifecycleBatchDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer<Batch<IMaintenanceLifecycleEvent>>
{
    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<TConsumer> consumerConfigurator, IRegistrationContext context)
    {
        consumerConfigurator.Options<BatchOptions>(batch => batch
            .SetMessageLimit(100)
            .SetTimeLimit(TimeSpan.FromMilliseconds(10))
            .SetConcurrencyLimit(4));
        consumerConfigurator.UseMessageRetry(retry => retry.Intervals(100, 1_000, 5_000, 15_000));
    }
}

public sealed class WebhookDispatchConsumerDefinition : LifecycleBatchDefinition<WebhookDispatchConsumer>;
