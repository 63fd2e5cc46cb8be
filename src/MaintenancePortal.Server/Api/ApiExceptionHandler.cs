using System.Text.Json;
using MaintenancePortal.Domain;
using Microsoft.AspNetCore.Diagnostics;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// Turns refusals into problem details: 400 for a request that cannot be read or breaks a rule on
/// its own (with the field it is about, as in a validation problem), 404 for what does
/// not exist, 409 for a conflict with the current state, and 503 (with Retry-After) while the
/// cluster moves grains off a silo that went away.
/// </summary>
public sealed class ApiExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    private const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // A body that is not the JSON the route reads: the reader says where (a path such as $.windows[0].day).
        if (exception is BadHttpRequestException { InnerException: JsonException { } json })
        {
            // The reader's own words name the type it read into, which says nothing to the caller.
            var message = json.Message.Split(" Path:", 2)[0];
            exception = new InvalidRequestException(FieldOf(json.Path),
                message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal) ? "The value is not of the form this field takes." : message);
        }

        var (status, title, detail) = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => (StatusCodes.Status413PayloadTooLarge,
                "The request is too large", $"A request body has at most {RequestBody.MaxBytes / 1024} KiB."),
            BadHttpRequestException bad => (bad.StatusCode, "The request is not valid", exception.Message),
            InvalidRequestException => (StatusCodes.Status400BadRequest, "One or more validation errors occurred.", exception.Message),
            NotFoundException => (StatusCodes.Status404NotFound, "Not found", exception.Message),
            DomainException => (StatusCodes.Status409Conflict, "The request conflicts with the current state", exception.Message),
            // A silo died or is unreachable (a rejected or forwarded-to-nowhere message, an activation that could
            // not reach its dependencies, a timeout): its grains come back on another one within seconds.
            // Storage that does not answer (the audit trail's table) is the same: try again shortly.
            OrleansException or TimeoutException or Azure.RequestFailedException => (StatusCodes.Status503ServiceUnavailable,
                "Temporarily unavailable", $"Part of the service is moving to another server; try again in {RetryAfterSeconds} seconds."),
            _ => (0, "", ""),
        };
        if (status == 0)
        {
            return false;
        }

        context.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var problem = exception is InvalidRequestException invalid
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [invalid.Field] = [invalid.Message] })
            : new Microsoft.AspNetCore.Mvc.ProblemDetails();
        (problem.Status, problem.Title, problem.Detail) = (status, title, detail);
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, Exception = exception, ProblemDetails = problem });
    }

    /// <summary>The field a JSON path names, as the API's JSON spells it: <c>$.windows[0].day</c> is <c>windows[0].day</c>; the whole body is <c>body</c>.</summary>
    private static string FieldOf(string? path) => path is null or "$" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;
}
