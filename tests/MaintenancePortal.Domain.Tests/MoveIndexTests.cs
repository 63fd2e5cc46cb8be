using MaintenancePortal.Domain.Maintenance;

namespace MaintenancePortal.Domain.Tests;

public sealed class MoveIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static MoveSummary Move(int i, MoveState state = MoveState.Completed, string? name = null, int version = 1) =>
        new($"mv-{i:D6}", $"mnt-{i % 3}", "contoso", $"i-{i % 10:D4}", name ?? $"web-{i % 10:D2}", "10.0.0.1",
            i % 2 == 0 ? MaintenanceReason.FirmwareUpdate : MaintenanceReason.DegradedHardware, MoveAction.LiveMigration, state,
            $"h-{i % 3}", "h-9", Start.AddMinutes(i), Start.AddMinutes(i + 15), Start.AddHours(20), Start.AddHours(24), null, null,
            0, false, "Live migration.", null, 30, 0, version);

    private static MoveIndex Index(int count)
    {
        var index = new MoveIndex();
        for (var i = 0; i < count; i++)
        {
            index.Upsert(Move(i, i % 7 == 0 ? MoveState.Cancelled : MoveState.Completed));
        }

        return index;
    }

    /// <summary>Every page of a query, following the cursors, joined.</summary>
    private static List<MoveSummary> AllPages(MoveIndex index, MoveQuery query)
    {
        var all = new List<MoveSummary>();
        string? after = null;
        do
        {
            var page = index.Query(query, after);
            Assert.True(page.Moves.Count <= query.Limit);
            all.AddRange(page.Moves);
            after = page.Next;
        }
        while (after is not null);

        return all;
    }

    public static TheoryData<MoveQuery> Queries() => [.. QueryList];

    private static readonly MoveQuery[] QueryList =
    [
        new MoveQuery(Limit: 7),
        new MoveQuery(Sort: MoveSort.Oldest, Limit: 9),
        new MoveQuery(State: MoveState.Cancelled, Limit: 4),
        new MoveQuery(State: MoveState.Cancelled, Sort: MoveSort.Oldest, Limit: 4),
        new MoveQuery(Reason: MaintenanceReason.DegradedHardware, Sort: MoveSort.Start, Limit: 6),
        new MoveQuery(InstanceId: "i-0003", Limit: 2),
        new MoveQuery(Search: "WEB-0", Sort: MoveSort.Instance, Limit: 11),
        new MoveQuery(Search: "i-0005", Limit: 3),
        new MoveQuery(From: Start.AddMinutes(10), To: Start.AddMinutes(40), Sort: MoveSort.Oldest, Limit: 5),
        new MoveQuery(MaintenanceId: "mnt-1", State: MoveState.Completed, Limit: 8),
    ];

    [Theory]
    [MemberData(nameof(Queries))]
    public void Pages_followed_by_their_cursors_give_every_match_once_in_order(MoveQuery query)
    {
        var index = Index(100);

        var pages = AllPages(index, query);

        var expected = index.All.Where(query.Matches).ToList();
        Assert.Equal(expected.Count, pages.Count);
        Assert.Equal(expected.Select(m => m.MoveId).Order(), pages.Select(m => m.MoveId).Order());
        Assert.Equal(pages.Count, pages.Select(m => m.MoveId).Distinct().Count());
        var keys = pages.Select(m => query.Sort switch
        {
            MoveSort.Newest => -m.ScheduledAt.Ticks,
            MoveSort.Oldest => m.ScheduledAt.Ticks,
            MoveSort.Start => m.NotBefore.Ticks,
            _ => 0,
        }).ToList();
        Assert.Equal(keys.Order(), keys);
        if (query.Sort == MoveSort.Instance)
        {
            Assert.Equal(pages.Select(m => m.InstanceName).Order(StringComparer.OrdinalIgnoreCase), pages.Select(m => m.InstanceName));
        }
    }

    [Fact]
    public void Counts_and_groups_follow_each_move_as_it_changes_and_late_copies_change_nothing()
    {
        var index = new MoveIndex();
        index.Upsert(Move(1, MoveState.Scheduled));
        index.Upsert(Move(4, MoveState.Scheduled));
        Assert.True(index.Upsert(Move(1, MoveState.Completed, version: 3)));
        Assert.False(index.Upsert(Move(1, MoveState.Migrating, version: 2))); // late
        index.Upsert(Move(4, MoveState.Cancelled, version: 2));

        var page = index.Query(new MoveQuery(), null);

        Assert.Equal(new MoveCounts(0, 0, 1, 0, 1), page.Counts);
        var group = Assert.Single(page.Groups);
        Assert.Equal("mnt-1", group.MaintenanceId);
        Assert.Equal(2, group.Counts.Finished);
        Assert.Equal(MoveState.Completed, index.Find("mv-000001")!.State);
        Assert.Empty(index.Query(new MoveQuery(State: MoveState.Scheduled), null).Moves);
    }

    [Fact]
    public void A_page_after_a_move_that_changed_state_still_continues_where_it_left_off()
    {
        var index = Index(30);
        var first = index.Query(new MoveQuery(State: MoveState.Completed, Limit: 5), null);
        index.Upsert(index.Find(first.Next!)! with { State = MoveState.Failed, Version = 2 });

        var second = index.Query(new MoveQuery(State: MoveState.Completed, Limit: 5), first.Next);

        Assert.True(string.CompareOrdinal(second.Moves[0].MoveId, first.Moves[^1].MoveId) < 0);
        Assert.DoesNotContain(second.Moves, m => first.Moves.Any(f => f.MoveId == m.MoveId));
    }

    [Fact]
    public void A_cursor_that_is_not_one_of_the_tenants_moves_and_bad_parameters_are_refused_naming_them()
    {
        var index = Index(10);

        Assert.Equal("cursor", Assert.Throws<InvalidRequestException>(() => index.Query(new MoveQuery(), "mv-elsewhere")).Field);
        Assert.Equal("limit", Assert.Throws<InvalidRequestException>(() => index.Query(new MoveQuery(Limit: 0), null)).Field);
        Assert.Equal("limit", Assert.Throws<InvalidRequestException>(() => index.Query(new MoveQuery(Limit: 501), null)).Field);
        Assert.Equal("state", Assert.Throws<InvalidRequestException>(() => index.Query(new MoveQuery(State: (MoveState)9), null)).Field);
        Assert.Equal("sort", Assert.Throws<InvalidRequestException>(() => index.Query(new MoveQuery(Sort: (MoveSort)9), null)).Field);
        Assert.Equal("q", Assert.Throws<InvalidRequestException>(() => index.Query(new MoveQuery(Search: new string('x', 101)), null)).Field);
        Assert.Equal("from", Assert.Throws<InvalidRequestException>(() =>
            index.Query(new MoveQuery(From: Start.AddDays(1), To: Start), null)).Field);
    }

    [Fact]
    public void A_search_matching_many_instances_reads_in_order_and_still_finds_them_all()
    {
        var index = new MoveIndex();
        for (var i = 0; i < 2_000; i++)
        {
            index.Upsert(Move(i, name: $"db-{i:D4}") with { InstanceId = $"i-{i:D5}" });
        }

        Assert.Equal(2_000, AllPages(index, new MoveQuery(Search: "DB-", Limit: 500)).Count);
        Assert.Equal(10, AllPages(index, new MoveQuery(Search: "db-100", Limit: 500)).Count); // db-1000 to db-1009
    }

    [Fact]
    public void An_index_built_at_once_from_stored_rows_answers_as_one_built_move_by_move()
    {
        var rows = Enumerable.Range(0, 300).Select(i => Move(i, (MoveState)(i % 5))).OrderBy(m => m.MoveId.GetHashCode()).ToList();
        rows.Add(Move(7, MoveState.Completed, version: 5)); // a newer copy of one of them
        var byMove = new MoveIndex();
        rows.ForEach(m => byMove.Upsert(m));

        var atOnce = new MoveIndex(rows);

        foreach (var query in QueryList)
        {
            Assert.Equal(AllPages(byMove, query).Select(m => m.MoveId), AllPages(atOnce, query).Select(m => m.MoveId));
        }

        Assert.Equal(byMove.Counts, atOnce.Counts);
        Assert.Equal(MoveState.Completed, atOnce.Find("mv-000007")!.State);
        Assert.True(atOnce.Upsert(Move(1000, MoveState.Scheduled)));
        Assert.Equal("mv-001000", atOnce.Query(new MoveQuery(), null).Moves[0].MoveId);
    }
}
