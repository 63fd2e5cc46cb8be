namespace MaintenancePortal.Domain.Maintenance;

/// <summary>
/// A tenant's moves, kept for listing them fast: in scheduled order, by state and by instance,
/// with counts per state and per maintenance event kept as moves change. A query starts from the
/// smallest of these that holds every answer, filters with <see cref="MoveQuery.Matches"/>, and stops
/// when its page is full. Not thread-safe: one owner (the tenant's moves grain) uses it.
/// </summary>
public sealed class MoveIndex
{
    /// <summary>A search matching at most this many instances reads only their moves; more, and it scans in order.</summary>
    private const int FewInstances = 256;

    private readonly Dictionary<string, MoveSummary> _byId = new(StringComparer.Ordinal);
    private readonly ScheduledOrder _all = new();
    private readonly Dictionary<MoveState, ScheduledOrder> _byState = [];
    private readonly Dictionary<string, ScheduledOrder> _byInstance = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _instanceNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MaintenanceGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public int Count => _byId.Count;

    public MoveCounts Counts { get; private set; } = MoveCounts.None;

    public IEnumerable<MoveSummary> All => _all.From(null, newestFirst: true);

    public MoveSummary? Find(string moveId) => _byId.GetValueOrDefault(moveId);

    /// <summary>Takes a move's newer copy; an older or equal one (late, or sent twice) changes nothing. True when taken.</summary>
    public bool Upsert(MoveSummary move)
    {
        if (_byId.TryGetValue(move.MoveId, out var known))
        {
            if (known.Version >= move.Version)
            {
                return false;
            }

            Remove(known);
        }

        move = Shared(move);
        _byId[move.MoveId] = move;
        _all.Add(move);
        OrderOf(_byState, move.State).Add(move);
        OrderOf(_byInstance, move.InstanceId).Add(move);
        _instanceNames[move.InstanceId] = move.InstanceName;
        Counts = Counts.Add(move.State, 1);
        _groups[move.MaintenanceId] = _groups.TryGetValue(move.MaintenanceId, out var group)
            ? group with { Counts = group.Counts.Add(move.State, 1) }
            : new MaintenanceGroup(move.MaintenanceId, move.Reason, move.SourceHostId, move.Deadline, MoveCounts.None.Add(move.State, 1));
        return true;
    }

    private void Remove(MoveSummary move)
    {
        _all.Remove(move);
        _byState[move.State].Remove(move);
        _byInstance[move.InstanceId].Remove(move);
        Counts = Counts.Add(move.State, -1);
        _groups[move.MaintenanceId] = _groups[move.MaintenanceId] with { Counts = _groups[move.MaintenanceId].Counts.Add(move.State, -1) };
    }

    /// <summary>
    /// A page of the moves the query matches, after the move <paramref name="after"/> (the last of
    /// the page before; null for the first page).
    /// </summary>
    public MovePage Query(MoveQuery query, string? after)
    {
        query = query.Checked();
        MoveSummary? cursor = null;
        if (after is not null && !_byId.TryGetValue(after, out cursor))
        {
            throw new InvalidRequestException("cursor", "Give the cursor a page answered with.");
        }

        var comparer = ComparerFor(query.Sort);
        var ordered = query.Sort switch
        {
            MoveSort.Newest or MoveSort.Oldest when Candidates(query) is { } few => Sorted(few.Where(query.Matches), comparer),
            MoveSort.Newest => Source(query).From(cursor, newestFirst: true).Where(query.Matches),
            MoveSort.Oldest => Source(query).From(cursor, newestFirst: false).Where(query.Matches),
            _ => Sorted((Candidates(query) ?? Source(query).From(null, newestFirst: true)).Where(query.Matches), comparer),
        };
        if (cursor is not null)
        {
            ordered = ordered.SkipWhile(m => comparer.Compare(m, cursor) <= 0);
        }

        var page = ordered.Take(query.Limit + 1).ToList();
        var next = page.Count > query.Limit ? page[query.Limit - 1].MoveId : null;
        var moves = page.Take(query.Limit).ToList();
        return new MovePage(moves, [.. moves.Select(m => m.MaintenanceId).Distinct().Select(id => _groups[id])], Counts, next);
    }

    /// <summary>The moves in scheduled order that hold every answer: the state's, or all.</summary>
    private ScheduledOrder Source(MoveQuery query) =>
        query.State is { } state ? _byState.GetValueOrDefault(state) ?? ScheduledOrder.Empty : _all;

    /// <summary>The moves of the instances the query names or finds, when they are few; else null.</summary>
    private List<MoveSummary>? Candidates(MoveQuery query)
    {
        if (query.InstanceId is { } instanceId)
        {
            return [.. _byInstance.GetValueOrDefault(instanceId)?.From(null, newestFirst: true) ?? []];
        }

        if (query.Search is null)
        {
            return null;
        }

        var found = new List<string>();
        foreach (var (id, name) in _instanceNames)
        {
            if (query.MatchesSearch(id, name) && found.Count < FewInstances + 1)
            {
                found.Add(id);
            }
        }

        return found.Count > FewInstances ? null : [.. found.SelectMany(id => _byInstance[id].From(null, newestFirst: true))];
    }

    private static List<MoveSummary> Sorted(IEnumerable<MoveSummary> moves, IComparer<MoveSummary> comparer)
    {
        var list = moves.ToList();
        list.Sort(comparer);
        return list;
    }

    private static IComparer<MoveSummary> ComparerFor(MoveSort sort) => sort switch
    {
        MoveSort.Oldest => NewestFirst.Reversed,
        MoveSort.Start => Comparer<MoveSummary>.Create((a, b) =>
            a.NotBefore.CompareTo(b.NotBefore) is var c and not 0 ? c : NewestFirst.Instance.Compare(a, b)),
        MoveSort.Instance => Comparer<MoveSummary>.Create((a, b) =>
            string.Compare(a.InstanceName, b.InstanceName, StringComparison.OrdinalIgnoreCase) is var c and not 0 ? c : NewestFirst.Instance.Compare(a, b)),
        _ => NewestFirst.Instance,
    };

    private static ScheduledOrder OrderOf<TKey>(Dictionary<TKey, ScheduledOrder> orders, TKey key) where TKey : notnull
    {
        if (!orders.TryGetValue(key, out var order))
        {
            orders[key] = order = new ScheduledOrder();
        }

        return order;
    }

    /// <summary>One copy of each repeated text (tenant, instance, hosts, reasons) for all of the tenant's moves.</summary>
    private MoveSummary Shared(MoveSummary move) => move with
    {
        MaintenanceId = Shared(move.MaintenanceId), TenantId = Shared(move.TenantId), InstanceId = Shared(move.InstanceId),
        InstanceName = Shared(move.InstanceName), PrivateIp = Shared(move.PrivateIp), SourceHostId = Shared(move.SourceHostId),
        DestinationHostId = Shared(move.DestinationHostId), Why = Shared(move.Why),
    };

    private string Shared(string text)
    {
        if (_strings.TryGetValue(text, out var shared))
        {
            return shared;
        }

        _strings[text] = text;
        return text;
    }

    /// <summary>
    /// Moves in scheduled order, in a list kept sorted oldest first: a new move is usually the newest,
    /// so it goes at the end; a cursor is found by binary search; a page reads on from it either way.
    /// </summary>
    private sealed class ScheduledOrder
    {
        public static readonly ScheduledOrder Empty = new();

        private readonly List<MoveSummary> _oldestFirst = [];

        public void Add(MoveSummary move)
        {
            var index = _oldestFirst.BinarySearch(move, NewestFirst.Reversed);
            _oldestFirst.Insert(index < 0 ? ~index : index, move);
        }

        public void Remove(MoveSummary move)
        {
            var index = _oldestFirst.BinarySearch(move, NewestFirst.Reversed);
            if (index >= 0)
            {
                _oldestFirst.RemoveAt(index);
            }
        }

        /// <summary>The moves after the cursor (all, without one) in the order asked for.</summary>
        public IEnumerable<MoveSummary> From(MoveSummary? cursor, bool newestFirst)
        {
            var index = cursor is null ? -1 : _oldestFirst.BinarySearch(cursor, NewestFirst.Reversed);
            if (newestFirst)
            {
                // Before the cursor in the list: found, the one before it; not found, the one before where it would be.
                var start = cursor is null ? _oldestFirst.Count - 1 : index >= 0 ? index - 1 : ~index - 1;
                for (var i = start; i >= 0; i--)
                {
                    yield return _oldestFirst[i];
                }
            }
            else
            {
                var start = cursor is null ? 0 : index >= 0 ? index + 1 : ~index;
                for (var i = start; i < _oldestFirst.Count; i++)
                {
                    yield return _oldestFirst[i];
                }
            }
        }
    }

    /// <summary>Most recently scheduled first; the move id breaks ties. Both never change for a move.</summary>
    private sealed class NewestFirst : IComparer<MoveSummary>
    {
        public static readonly NewestFirst Instance = new();

        public static readonly IComparer<MoveSummary> Reversed = Comparer<MoveSummary>.Create((a, b) => Instance.Compare(b, a));

        public int Compare(MoveSummary? x, MoveSummary? y) =>
            y!.ScheduledAt.CompareTo(x!.ScheduledAt) is var c and not 0 ? c : string.CompareOrdinal(x.MoveId, y.MoveId);
    }
}
