namespace MaintenancePortal.Domain.Audit;

/// <summary>Who acted: a person signed in, a program with a key, or the system itself.</summary>
public enum ActorKind
{
    User,
    Key,
    System,

    /// <summary>Software inside a tenant's instance, through the instance's metadata address.</summary>
    Instance,
}

/// <summary>How an action ended.</summary>
public enum AuditOutcome
{
    Succeeded,

    /// <summary>Refused: invalid, not found, not allowed or in conflict with the current state; nothing changed.</summary>
    Refused,

    /// <summary>Failed for another reason (an outage); it may or may not have taken effect.</summary>
    Failed,
}

/// <summary>Who acted.</summary>
/// <param name="Id">The person's subject, the key's id, or the system's part.</param>
/// <param name="Name">What to show: the person's name, the key's name.</param>
/// <param name="TenantId">The tenant acted for; null for an operator or the system.</param>
public sealed record AuditActor(ActorKind Kind, string Id, string Name, string? TenantId)
{
    public static AuditActor System { get; } = new(ActorKind.System, "system", "MaintenancePortal", null);
}

/// <summary>One action in the audit trail. Never holds a secret, a key or a request body.</summary>
/// <param name="TenantId">The tenant whose data the action was about (its own for a tenant's actor); null for the fleet.</param>
/// <param name="Action">What was done, e.g. <c>webhook.secret.rotate</c> (see <see cref="AuditActions"/>).</param>
/// <param name="Target">What it was done to: a host, maintenance, move, instance, endpoint or key id.</param>
/// <param name="Detail">The reason of a refusal or failure, or what was chosen (a reason, a mode).</param>
/// <param name="Source">The caller's address.</param>
public sealed record AuditEntry(
    string EntryId,
    DateTimeOffset At,
    AuditActor Actor,
    string? TenantId,
    string Action,
    string Target,
    AuditOutcome Outcome,
    string? Detail,
    string? Source)
{
    /// <summary>A refusal's text kept at most this long.</summary>
    public const int MaxDetailLength = 500;

    private const int TickDigits = 19;
    private const int RandomDigits = 8;

    /// <summary>
    /// A new entry's id: the time counted back from the end of time, then random digits, so ids
    /// sort newest first (this order is the order of every read, and a page's cursor is the last id).
    /// </summary>
    public static string NewId(DateTimeOffset at) =>
        $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{System.Security.Cryptography.RandomNumberGenerator.GetInt32(100_000_000):D8}";

    /// <summary>Whether a text is an entry id (a cursor must be one).</summary>
    public static bool IsId(string text) =>
        text.Length == TickDigits + 1 + RandomDigits && text[TickDigits] == '-'
        && text.AsSpan(0, TickDigits).ContainsAnyExceptInRange('0', '9') is false
        && text.AsSpan(TickDigits + 1).ContainsAnyExceptInRange('0', '9') is false;

    /// <summary>The entry with its detail cut to size.</summary>
    public AuditEntry Bounded() => this with
    {
        Detail = Detail is { Length: > MaxDetailLength } detail ? detail[..MaxDetailLength] + "…" : Detail,
    };
}
