using MaintenancePortal.Domain;
using MaintenancePortal.Domain.Maintenance;
using MaintenancePortal.Domain.Planning;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using NodaTime;

namespace MaintenancePortal.Web.Components.Pages;

/// <summary>
/// One move as its tenant sees it: the facts, rescheduling and approving, the instance's metadata
/// address, its pre-copy rounds (<see cref="Shared.RoundsChart"/>) and its timeline (<see cref="Shared.MoveTimeline"/>).
/// </summary>
public partial class TenantMove
{
    [Inject]
    private ITenantPortal Portal { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private IDialogService Dialogs { get; set; } = default!;

    private InstanceMove? _move;
    private bool _notFound;
    private string _tenantId = "";
    private DateTimeZone _zone = DateTimeZone.Utc;

    /// <summary>What the picker was given; it changes only when the move does, so the page never rewrites what a person is typing.</summary>
    private string? _pickerValue;

    /// <summary>What the browser last sent from the picker (each complete value while a person types).</summary>
    private string? _startText;
    private (Severity Severity, string Text)? _outcome;
    private string? _metadataAddress;

    [Parameter]
    public required string MoveId { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _tenantId = PortalClaims.TenantIdOf((await AuthenticationState).User);
        _zone = (await Portal.GetPreferencesAsync(_tenantId)).Zone;
        await LoadAsync();
        Listen(_tenantId);
    }

    protected override async Task LoadAsync()
    {
        try
        {
            _move = await Portal.GetMoveAsync(_tenantId, MoveId);
        }
        catch (NotFoundException)
        {
            _notFound = true;
            return;
        }

        _metadataAddress ??= Address(await Portal.GetMetadataTokenAsync(_tenantId, _move.InstanceId));
        var planned = TenantTime.ToInput(_move.NotBefore == DateTimeOffset.MaxValue ? _move.LatestStart : _move.NotBefore, _zone);
        if (_pickerValue != planned)
        {
            _pickerValue = _startText = planned;
        }
    }

    private string Address(string token) => $"{Navigation.BaseUri}imds/{token}";

    private async Task RotateAddressAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync("A new metadata address?",
            "Agents inside the instance must be given the new address: the old one answers nothing from now on.",
            yesText: "New address", cancelText: "Keep this one");
        if (confirmed == true)
        {
            await ActAsync("New address", async () =>
            {
                _metadataAddress = Address(await Portal.RotateMetadataTokenAsync(_tenantId, _move!.InstanceId));
                return "The instance has a new metadata address; the old one answers nothing.";
            });
        }
    }

    private string Show(DateTimeOffset time) => time == DateTimeOffset.MaxValue ? "not yet known" : TenantTime.Show(time, _zone);

    private async Task RescheduleAsync()
    {
        await ActAsync("Reschedule", async () =>
        {
            var start = TenantTime.Parse(_startText, _zone, "start");
            var moved = await Portal.RescheduleAsync(_tenantId, MoveId, start);
            return $"Rescheduled: it starts at {Show(moved.NotBefore)}.";
        });
    }

    private Task StartNowAsync() => ActAsync("Start now", async () =>
    {
        await Portal.ApproveAsync(_tenantId, MoveId);
        return "Approved: it starts now.";
    });

    /// <summary>Runs the tenant's action; a refusal says which action was refused and why, and changes nothing.</summary>
    private async Task ActAsync(string action, Func<Task<string>> act)
    {
        try
        {
            _outcome = (Severity.Success, await act());
            await LoadAsync();
        }
        catch (Exception ex) when (ex is DomainException or InvalidRequestException or NotFoundException)
        {
            _outcome = (Severity.Error, $"{action} was refused: {ex.Message}");
        }
    }
}
