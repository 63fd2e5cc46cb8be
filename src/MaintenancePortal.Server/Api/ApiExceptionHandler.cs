using MaintenancePortal.Domain;
using Microsoft.AspNetCore.Diagnostics;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// Turns refusals into problem details: 400 for a request that cannot be read, 404 for what does
/// not exist, 409 for a conflict with the current state.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid"),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found"),
            DomainException => (StatusCodes.Status409Conflict, "The request conflicts with the current state"),
            _ => (0, ""),
        };
        if (status == 0)
        {
            return false;
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = { Status = status, Title = title, Detail = exception.Message },
        });
    }
}
