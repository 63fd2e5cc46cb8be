using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// Sets <see cref="CurrentActor"/> for each inbound event of a Blazor circuit (a click, a form
/// submit) from the circuit's sign-in, and the address the circuit was opened from.
/// </summary>
public sealed class ActorCircuitHandler(AuthenticationStateProvider authentication, IHttpContextAccessor http) : CircuitHandler
{
    private string? _source;

    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        _source = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return Task.CompletedTask;
    }

    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            var state = await authentication.GetAuthenticationStateAsync();
            CurrentActor.Set(state.User, _source);
            await next(context);
        };
}
