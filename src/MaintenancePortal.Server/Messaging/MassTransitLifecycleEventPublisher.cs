using MaintenancePortal.Contracts;
using MaintenancePortal.Grains.Events;
using MassTransit;
using Polly;
using Polly.CircuitBreaker;

namespace MaintenancePortal.Server.Messaging;

/// <summary>
/// Publishes lifecycle events on the MassTransit bus, as their concrete type. While the broker is
/// away a publish would wait for it inside a grain's turn and hold up the migration it announces,
/// so each publish has a time limit, and after failures a circuit breaker refuses at once for a
/// few seconds: the event stays in the grain's outbox and goes out when the broker is back. The
/// limit holds even when the client does not give up on its own (a publish confirmation lost with
/// a broker's connection may never complete): the grain stops waiting for it, and the event,
/// still in the outbox, is published again.
/// </summary>
public sealed class MassTransitLifecycleEventPublisher(IBus bus, TimeProvider time) : ILifecycleEventPublisher
{
    private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
        .AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            FailureRatio = 0.5,
            MinimumThroughput = 2,
            SamplingDuration = TimeSpan.FromSeconds(10),
            BreakDuration = TimeSpan.FromSeconds(5),
            ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is not BrokenCircuitException),
        })
        .AddTimeout(TimeSpan.FromSeconds(5))
        .Build();

    public async Task PublishAsync(IMaintenanceLifecycleEvent @event, CancellationToken cancellationToken = default) =>
        // Published as the concrete type so the message carries every type it implements; consumers
        // of one event type and consumers of IMaintenanceLifecycleEvent both receive it.
        await _pipeline.ExecuteAsync(
            async token => await bus.Publish(@event, @event.GetType(), context => context.MessageId = @event.EventId, token).WaitAsync(token),
            cancellationToken);
}
