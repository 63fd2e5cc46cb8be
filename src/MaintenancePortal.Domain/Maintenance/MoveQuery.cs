namespace MaintenancePortal.Domain.Maintenance;

/// <summary>How a list of moves is ordered.</summary>
public enum MoveSort
{
    /// <summary>Most recently scheduled first (the default).</summary>
    Newest,

    /// <summary>First scheduled first.</summary>
    Oldest,

    /// <summary>By planned start, soonest first.</summary>
    Start,

    /// <summary>By instance name, then newest first.</summary>
    Instance,
}

/// <summary>
/// Which of a tenant's moves to list: by state, reason, instance, maintenance event, a search in
/// instance names and IDs, and a range of the time the move was scheduled; in an order, a page at a
/// time.
/// </summary>
/// <param name="Search">Part of an instance's name or ID, in any case.</param>
/// <param name="From">Scheduled at or after.</param>
/// <param name="To">Scheduled at or before.</param>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveQuery")]
public sealed record MoveQuery(
    [property: Id(0)] MoveState? State = null,
    [property: Id(1)] MaintenanceReason? Reason = null,
    [property: Id(2)] string? InstanceId = null,
    [property: Id(3)] string? MaintenanceId = null,
    [property: Id(4)] string? Search = null,
    [property: Id(5)] DateTimeOffset? From = null,
    [property: Id(6)] DateTimeOffset? To = null,
    [property: Id(7)] MoveSort Sort = MoveSort.Newest,
    [property: Id(8)] int Limit = MoveQuery.DefaultLimit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxTextLength = 100;

    /// <summary>The query, checked: a refusal names the parameter as the API spells it.</summary>
    public MoveQuery Checked()
    {
        if (State is { } state && !Enum.IsDefined(state))
        {
            throw new InvalidRequestException("state", $"A state is one of: {string.Join(", ", Enum.GetNames<MoveState>())}.");
        }

        if (Reason is { } reason && !Enum.IsDefined(reason))
        {
            throw new InvalidRequestException("reason", $"A reason is one of: {string.Join(", ", Enum.GetNames<MaintenanceReason>())}.");
        }

        if (!Enum.IsDefined(Sort))
        {
            throw new InvalidRequestException("sort", $"Sort by one of: {string.Join(", ", Enum.GetNames<MoveSort>())}.");
        }

        if (Limit is < 1 or > MaxLimit)
        {
            throw new InvalidRequestException("limit", $"Give a limit from 1 to {MaxLimit}.");
        }

        if (From is { } from && To is { } to && from > to)
        {
            throw new InvalidRequestException("from", "The start of the range is after its end.");
        }

        foreach (var (value, field) in new[] { (InstanceId, "instance"), (MaintenanceId, "maintenance"), (Search, "q") })
        {
            if (value is { } text && (text.Length is 0 or > MaxTextLength || text.Any(char.IsControl)))
            {
                throw new InvalidRequestException(field, $"Give 1 to {MaxTextLength} characters, without control characters.");
            }
        }

        return this;
    }

    /// <summary>Whether a move is in the list (the order and page aside).</summary>
    public bool Matches(MoveSummary move) =>
        (State is null || move.State == State)
        && (Reason is null || move.Reason == Reason)
        && (InstanceId is null || move.InstanceId == InstanceId)
        && (MaintenanceId is null || move.MaintenanceId == MaintenanceId)
        && (Search is null || SearchText(move.InstanceId, move.InstanceName).Contains(SearchKey(Search), StringComparison.Ordinal))
        && (From is null || move.ScheduledAt >= From)
        && (To is null || move.ScheduledAt <= To);

    /// <summary>
    /// What a search looks in: the instance's name and ID in upper case (invariant), on two lines (a
    /// search holds no line break), so that a search is one ordinal, vectorised <c>Contains</c>.
    /// </summary>
    public static string SearchText(string instanceId, string instanceName) =>
        string.Concat(instanceName.ToUpperInvariant(), "\n", instanceId.ToUpperInvariant());

    /// <summary>The search as compared with <see cref="SearchText"/>.</summary>
    public static string SearchKey(string search) => search.ToUpperInvariant();
}

/// <summary>Moves of one state and in all, for the counts a list shows beside its filters.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MoveCounts")]
public sealed record MoveCounts(
    [property: Id(0)] int Scheduled,
    [property: Id(1)] int Migrating,
    [property: Id(2)] int Completed,
    [property: Id(3)] int Failed,
    [property: Id(4)] int Cancelled)
{
    public static MoveCounts None { get; } = new(0, 0, 0, 0, 0);

    public int Total => Scheduled + Migrating + Completed + Failed + Cancelled;

    public int Finished => Completed + Failed + Cancelled;

    /// <summary>The counts with one move more (<paramref name="by"/> = 1) or less (-1) in a state.</summary>
    public MoveCounts Add(MoveState state, int by) => state switch
    {
        MoveState.Scheduled => this with { Scheduled = Scheduled + by },
        MoveState.Migrating => this with { Migrating = Migrating + by },
        MoveState.Completed => this with { Completed = Completed + by },
        MoveState.Failed => this with { Failed = Failed + by },
        _ => this with { Cancelled = Cancelled + by },
    };
}

/// <summary>A maintenance event as the tenant's list groups its moves: why, which host, by when, how far.</summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MaintenanceGroup")]
public sealed record MaintenanceGroup(
    [property: Id(0)] string MaintenanceId,
    [property: Id(1)] MaintenanceReason Reason,
    [property: Id(2)] string HostId,
    [property: Id(3)] DateTimeOffset Deadline,
    [property: Id(4)] MoveCounts Counts);

/// <summary>
/// A page of moves in the query's order, the maintenance events they belong to (in the order they
/// first appear), the tenant's counts, and the cursor of the next page (null at the end).
/// </summary>
[GenerateSerializer, Immutable, Alias("MaintenancePortal.MovePage")]
public sealed record MovePage(
    [property: Id(0)] IReadOnlyList<MoveSummary> Moves,
    [property: Id(1)] IReadOnlyList<MaintenanceGroup> Groups,
    [property: Id(2)] MoveCounts Counts,
    [property: Id(3)] string? Next);
