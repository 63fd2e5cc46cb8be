using System.Reflection;
using MaintenancePortal.Contracts;
using MassTransit;

namespace MaintenancePortal.Server.Messaging;

/// <summary>
/// A consumer of <see cref="IMaintenanceLifecycleEvent"/> receives the interface; the message also
/// carries its contract type, and this reads it as that type (with every field, not only the common ones).
/// </summary>
public static class LifecycleEventMessages
{
    private static readonly Func<ConsumeContext, IMaintenanceLifecycleEvent?>[] ContractTypes =
    [
        .. typeof(IMaintenanceLifecycleEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IMaintenanceLifecycleEvent).IsAssignableFrom(t))
            .Select(t => typeof(LifecycleEventMessages).GetMethod(nameof(As), BindingFlags.NonPublic | BindingFlags.Static)!
                .MakeGenericMethod(t).CreateDelegate<Func<ConsumeContext, IMaintenanceLifecycleEvent?>>()),
    ];

    /// <summary>The event as its contract type, or as the interface when no contract type is known.</summary>
    public static IMaintenanceLifecycleEvent Concrete(ConsumeContext<IMaintenanceLifecycleEvent> context) =>
        ContractTypes.Select(get => get(context)).FirstOrDefault(m => m is not null) ?? context.Message;

    private static IMaintenanceLifecycleEvent? As<T>(ConsumeContext context)
        where T : class, IMaintenanceLifecycleEvent =>
        context.TryGetMessage<T>(out var typed) ? typed.Message : null;
}
