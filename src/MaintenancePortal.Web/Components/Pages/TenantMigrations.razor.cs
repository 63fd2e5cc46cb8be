using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Webhooks;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using NodaTime;

namespace MaintenancePortal.Web.Components.Pages;

/// <summary>
/// The tenant's migrations: counts, filters as people type and pick them, one maintenance per
/// <see cref="Shared.MoveGroup"/>, pages that move with their rows, the CSV of what is filtered,
/// and the calendar feed (<see cref="Shared.CalendarPanel"/>).
/// </summary>
public partial class TenantMigrations
{
    [Inject]
    private ITenantPortal Portal { get; set; } = default!;

    [Inject]
    private ITenantWebhooks Webhooks { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    [Inject]
    private ISnackbar Snackbar { get; set; } = default!;

    private const string All = "";
    private static readonly int[] PageSizes = [10, 25, MoveQuery.DefaultLimit, 100];

    private MovePage? _page;
    private MoveCounts _counts = MoveCounts.None;
    private string? _webhookTrouble;
    private string? _error;
    private string _tenantId = "";
    private DateTimeZone _zone = DateTimeZone.Utc;

    private string? _search;
    private string _state = All;
    private string _reason = All;
    private string? _from;
    private string? _to;
    private MoveSort _sort = MoveSort.Newest;
    private int _pageSize = MoveQuery.DefaultLimit;

    /// <summary>The cursors of the pages before this one (the first page has none), and this page's.</summary>
    private readonly Stack<string?> _cursors = new();
    private string? _cursor;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _tenantId = PortalClaims.TenantIdOf((await AuthenticationState).User);
        _zone = (await Portal.GetPreferencesAsync(_tenantId)).Zone;
        // Once per visit: webhook trouble does not change with the lifecycle events the page reloads on.
        _webhookTrouble = WebhookTrouble(await Webhooks.ListAsync(_tenantId), Time.GetUtcNow());
        await LoadAsync();
        Listen(_tenantId);
    }

    protected override Task LoadAsync() => ShowAsync(_cursor, () => { });

    /// <summary>
    /// Reads a page, then shows it together with the paging step that led to it (<paramref name="moved"/>),
    /// in one render: the page number never runs ahead of the rows while the page is on its way.
    /// </summary>
    private async Task ShowAsync(string? cursor, Action moved)
    {
        try
        {
            var page = await Portal.QueryMovesAsync(_tenantId, Query(), cursor);
            moved();
            (_cursor, _page, _counts, _error) = (cursor, page, page.Counts, null);
        }
        catch (InvalidRequestException ex)
        {
            _error = ex.Message;
        }
    }

    /// <summary>The filters as the domain reads them; dates are whole days in the tenant's zone.</summary>
    private MoveQuery Query() => new(
        _state == All ? null : Enum.Parse<MoveState>(_state),
        _reason == All ? null : Enum.Parse<MaintenanceReason>(_reason),
        Search: string.IsNullOrWhiteSpace(_search) ? null : _search.Trim(),
        From: Day(_from, 0),
        To: Day(_to, 1)?.AddTicks(-1),
        Sort: _sort,
        Limit: _pageSize);

    private DateTimeOffset? Day(string? date, int daysLater) =>
        DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day)
            ? _zone.AtStartOfDay(LocalDate.FromDateOnly(day).PlusDays(daysLater)).ToDateTimeOffset()
            : null;

    private string CsvAddress
    {
        get
        {
            var query = Query();
            var parameters = new Dictionary<string, string?>
            {
                ["state"] = query.State?.ToString(), ["reason"] = query.Reason?.ToString(), ["q"] = query.Search,
                ["from"] = query.From?.ToString("O"), ["to"] = query.To?.ToString("O"), ["sort"] = query.Sort.ToString(),
            };
            return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("api/tenant/migrations.csv",
                parameters.Where(p => p.Value is not null));
        }
    }

    private Task SearchChangedAsync(string? search) => FilterAsync(() => _search = search);

    /// <summary>A filter changed: back to the first page.</summary>
    private Task FilterAsync(Action change)
    {
        change();
        return ShowAsync(null, _cursors.Clear);
    }

    private Task NextAsync()
    {
        var current = _cursor;
        return ShowAsync(_page?.Next, () => _cursors.Push(current));
    }

    private Task PreviousAsync() => _cursors.Count == 0 ? Task.CompletedTask : ShowAsync(_cursors.Peek(), () => _cursors.Pop());

    private async Task StartNowAsync(MoveSummary move)
    {
        try
        {
            await Portal.ApproveAsync(_tenantId, move.MoveId);
            Snackbar.Add($"{move.InstanceName} starts now.", Severity.Success);
            await LoadAsync();
        }
        catch (Exception ex) when (ex is DomainException or NotFoundException)
        {
            Snackbar.Add($"Start now was refused: {ex.Message}", Severity.Error);
        }
    }

    /// <summary>What the tenant must know about its webhooks: disabled endpoints, and messages given up on this week.</summary>
    private static string? WebhookTrouble(IReadOnlyList<EndpointOverview> endpoints, DateTimeOffset now)
    {
        var disabled = endpoints.Count(e => e.Endpoint.Status == EndpointStatus.Disabled);
        var givenUp = endpoints.Sum(e => e.Notices.Count(n => n.Kind == WebhookNoticeKind.MessageExhausted && n.At >= now.AddDays(-7)));
        return (disabled, givenUp) switch
        {
            (0, 0) => null,
            (_, 0) => $"{disabled} of your webhook endpoints {(disabled == 1 ? "is" : "are")} disabled.",
            (0, _) => $"{givenUp} webhook {(givenUp == 1 ? "message was" : "messages were")} given up on this week.",
            _ => $"{disabled} of your webhook endpoints {(disabled == 1 ? "is" : "are")} disabled, and {givenUp} {(givenUp == 1 ? "message was" : "messages were")} given up on this week.",
        };
    }
}
