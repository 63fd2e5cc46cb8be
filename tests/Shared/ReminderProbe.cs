namespace MaintenancePortal.Tests.Shared;

public interface IReminderProbeGrain : IGrainWithGuidKey
{
    Task RegisterAndRemoveAsync();
}

/// <summary>Registers a reminder and removes it: it answers once the silo's reminder service has started.</summary>
public sealed class ReminderProbeGrain : Grain, IReminderProbeGrain, IRemindable
{
    public async Task RegisterAndRemoveAsync() =>
        await this.UnregisterReminder(await this.RegisterOrUpdateReminder("probe", TimeSpan.FromHours(1), TimeSpan.FromHours(1)));

    public Task ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;
}
