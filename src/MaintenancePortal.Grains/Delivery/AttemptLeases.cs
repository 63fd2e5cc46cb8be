namespace MaintenancePortal.Grains.Delivery;

/// <summary>
/// The attempts a delivering grain (a webhook endpoint, a notice contact) has started off its turn
/// and not yet heard back from, at most <paramref name="capacity"/> at once. Each holds a lease: an
/// attempt whose answer never comes back (lost with a failed call) is due again when its lease ends.
/// </summary>
public sealed class AttemptLeases(int capacity)
{
    private readonly Dictionary<string, DateTimeOffset> _leases = [];

    /// <summary>What is on its way now.</summary>
    public IReadOnlySet<string> OnTheirWay => _leases.Keys.ToHashSet();

    /// <summary>Lets go of the leases that ended by <paramref name="now"/>, then says how many more attempts may start.</summary>
    public int Room(DateTimeOffset now)
    {
        foreach (var (id, _) in _leases.Where(l => l.Value <= now).ToList())
        {
            _leases.Remove(id); // its answer never came back: it is due again
        }

        return Math.Max(0, capacity - _leases.Count);
    }

    public void Take(string id, DateTimeOffset leasedUntil) => _leases[id] = leasedUntil;

    /// <summary>The attempt's answer came back (or it will not be made): its lease goes.</summary>
    public void Answered(string id) => _leases.Remove(id);

    public void Clear() => _leases.Clear();

    /// <summary>
    /// When the grain must wake next for its attempts, given when each waiting item is next due.
    /// While every lease is taken the next answer starts the next attempt, so it wakes only for a
    /// lease that ends without one; otherwise at the first item due that is not on its way.
    /// </summary>
    public DateTimeOffset NextWakeUp(IEnumerable<(string Id, DateTimeOffset DueAt)> waiting)
    {
        var leaseEnds = _leases.Values.DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        if (_leases.Count >= capacity)
        {
            return leaseEnds;
        }

        var due = waiting.Where(w => !_leases.ContainsKey(w.Id)).Select(w => w.DueAt).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        return due < leaseEnds ? due : leaseEnds;
    }
}
