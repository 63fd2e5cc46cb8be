using Microsoft.Extensions.DependencyInjection;

namespace MaintenancePortal.Tests.Shared;

/// <summary>
/// A silo's reminder table that refuses to register or remove reminders while <c>fails</c> says
/// so, as when its storage is unreachable; reads go through.
/// </summary>
internal sealed class FaultyReminderTable(IReminderTable inner, Func<bool> fails) : IReminderTable
{
    /// <summary>Wraps the reminder table the silo registered (the last one).</summary>
    public static void Replace(IServiceCollection services, Func<IServiceProvider, Func<bool>> fails)
    {
        var table = services.Last(d => d.ServiceType == typeof(IReminderTable));
        services.Remove(table);
        services.AddSingleton<IReminderTable>(sp => new FaultyReminderTable((IReminderTable)table.ImplementationFactory!(sp), fails(sp)));
    }

    public Task<ReminderTableData> ReadRows(GrainId grainId) => inner.ReadRows(grainId);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => inner.ReadRows(begin, end);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => inner.ReadRow(grainId, reminderName);

    public Task<string?> UpsertRow(ReminderEntry entry) => fails() ? throw Unreachable() : inner.UpsertRow(entry);

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        fails() ? throw Unreachable() : inner.RemoveRow(grainId, reminderName, eTag);

    public Task TestOnlyClearTable() => inner.TestOnlyClearTable();

    private static TimeoutException Unreachable() => new("The reminder table is unreachable (injected).");
}
