using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Server.Access;
using MaintenancePortal.Web.Services;

namespace MaintenancePortal.Server.Audit;

/// <summary>
/// Runs a change and records it, with the actor of the current request or circuit: succeeded,
/// refused (invalid, not found, in conflict: nothing changed) or failed. The entry is written
/// before the answer goes back; a change whose entry cannot be written fails with it.
/// </summary>
public sealed class AuditRecorder(IAuditTrail trail, CurrentActor current, TimeProvider time)
{
    /// <summary>Runs <paramref name="change"/> and records it under <paramref name="action"/>.</summary>
    /// <param name="tenantId">The tenant whose data the change is about; null for the fleet.</param>
    /// <param name="targetOf">The target once the change is done, when only the change knows it (the id of what it made).</param>
    public async Task<T> RunAsync<T>(string action, string? tenantId, string target, Func<Task<T>> change, string? detail = null,
        Func<T, string>? targetOf = null, CancellationToken cancellationToken = default)
    {
        T result;
        try
        {
            result = await change();
        }
        catch (Exception ex)
        {
            var outcome = ex is InvalidRequestException or NotFoundException or DomainException ? AuditOutcome.Refused : AuditOutcome.Failed;
            await RecordAsync(action, tenantId, target, outcome, ex.Message, cancellationToken);
            throw;
        }

        await RecordAsync(action, tenantId, targetOf?.Invoke(result) ?? target, AuditOutcome.Succeeded, detail, cancellationToken);
        return result;
    }

    /// <summary>Runs <paramref name="change"/>, which answers nothing, and records it under <paramref name="action"/>.</summary>
    public Task RunActionAsync(string action, string? tenantId, string target, Func<Task> change, string? detail = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(action, tenantId, target, async () =>
        {
            await change();
            return true;
        }, detail, cancellationToken: cancellationToken);

    /// <summary>Records an action that is not a change run here (a sign-in, a refusal at the door).</summary>
    public Task RecordAsync(string action, string? tenantId, string target, AuditOutcome outcome, string? detail,
        CancellationToken cancellationToken = default)
    {
        var (actor, source) = current.Value;
        var at = time.GetUtcNow();
        return trail.AppendAsync(new AuditEntry(AuditEntry.NewId(at), at, actor, tenantId, action, target, outcome, detail, source),
            cancellationToken);
    }
}
