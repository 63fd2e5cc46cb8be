namespace MaintenancePortal.Domain.Maintenance;

/// <summary>
/// A tenant's moves, kept for listing them fast: in scheduled order, by state and by instance,
/// with counts per state and per maintenance event kept as moves change. A query starts from the
/// smallest of these that holds every answer, filters as <see cref="MoveQuery.Matches"/> does (a
/// search by the instances it finds in one pass over their names and IDs), and stops when its page
/// is full. Not thread-safe: one owner (the tenant's moves grain) uses it.
/// </summary>
public sealed class MoveIndex
{
    /// <summary>A search matching at most this many instances reads only their moves; more, and it scans in order.</summary>
    private const int FewInstances = 256;

    private readonly Dictionary<string, MoveSummary> _byId = new(StringComparer.Ordinal);
    private readonly ScheduledOrder _all = new();
    private readonly Dictionary<MoveState, ScheduledOrder> _byState = [];
    private readonly Dictionary<string, ScheduledOrder> _byInstance = new(StringComparer.Ordinal);
    /// <summary>Each instance's <see cref="MoveQuery.SearchText"/>.</summary>
    private readonly Dictionary<string, string> _searchTexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MaintenanceGroup> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);

    public MoveIndex()
    {
    }

    /// <summary>An index of these moves (the newest copy of each), built in one sort rather than move by move.</summary>
    public MoveIndex(IEnumerable<MoveSummary> moves)
    {
        foreach (var move in moves)
        {
            if (!_byId.TryGetValue(move.MoveId, out var known) || known.Version < move.Version)
            {
                _byId[move.MoveId] = move;
            }
        }

        var ordered = _byId.Values.Select(Shared).ToList();
        ordered.Sort(NewestFirst.Reversed);
        foreach (var move in ordered)
        {
            // In order: each list only grows at its end.
            _byId[move.MoveId] = move;
            _all.Append(move);
            OrderOf(_byState, move.State).Append(move);
            OrderOf(_byInstance, move.InstanceId).Append(move);
            CountIn(move);
        }
    }

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
        CountIn(move);
        return true;
    }

    /// <summary>Counts a move in: its instance's name for searches, the counts per state, its maintenance event's group.</summary>
    private void CountIn(MoveSummary move)
    {
        if (!_searchTexts.ContainsKey(move.InstanceId))
        {
            _searchTexts[move.InstanceId] = MoveQuery.SearchText(move.InstanceId, move.InstanceName);
        }
        Counts = Counts.Add(move.State, 1);
        _groups[move.MaintenanceId] = _groups.TryGetValue(move.MaintenanceId, out var group)
            ? group with { Counts = group.Counts.Add(move.State, 1) }
            : new MaintenanceGroup(move.MaintenanceId, move.Reason, move.SourceHostId, move.Deadline, MoveCounts.None.Add(move.State, 1));
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

        // A search is answered by the instances it finds (one pass over their names and IDs), the rest of the query row by row.
        var found = query.Search is { } search ? Found(search) : null;
        var rest = query with { Search = null };
        Func<MoveSummary, bool> matches = found is null ? rest.Matches : m => found.Contains(m.InstanceId) && rest.Matches(m);
        var few = Candidates(query, found);
        var comparer = ComparerFor(query.Sort);
        var ordered = query.Sort switch
        {
            MoveSort.Newest or MoveSort.Oldest when few is not null => Sorted(few.Where(matches), comparer),
            MoveSort.Newest => Source(query).From(cursor, newestFirst: true).Where(matches),
            MoveSort.Oldest => Source(query).From(cursor, newestFirst: false).Where(matches),
            _ => Sorted((few ?? Source(query).From(null, newestFirst: true)).Where(matches), comparer),
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

    /// <summary>The instances whose name or ID holds the search (as <see cref="MoveQuery.Matches"/> has it).</summary>
    private HashSet<string> Found(string search)
    {
        var key = MoveQuery.SearchKey(search);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (instanceId, text) in _searchTexts)
        {
            if (text.Contains(key, StringComparison.Ordinal))
            {
                found.Add(instanceId);
            }
        }

        return found;
    }

    /// <summary>The moves of the instance the query names, or of the instances its search found when they are few; else null.</summary>
    private List<MoveSummary>? Candidates(MoveQuery query, HashSet<string>? found)
    {
        if (query.InstanceId is { } instanceId)
        {
            return [.. _byInstance.GetValueOrDefault(instanceId)?.From(null, newestFirst: true) ?? []];
        }

        return found is { Count: <= FewInstances } ? [.. found.SelectMany(id => _byInstance[id].From(null, newestFirst: true))] : null;
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

        /// <summary>Adds a move known to come after every move already here.</summary>
        public void Append(MoveSummary move) => _oldestFirst.Add(move);

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
