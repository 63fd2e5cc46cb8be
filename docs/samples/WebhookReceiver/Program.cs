using System.Collections.Concurrent;
using WebhookReceiver;

// A minimal receiver for MaintenancePortal webhooks. Run it with the endpoint's secret(s):
//   WEBHOOK_SECRETS=whsec_... dotnet run --project docs/samples/WebhookReceiver --urls http://127.0.0.1:5099
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
// Until it has the secret (shown in the portal once the endpoint exists) it passes the handshake but refuses every message.
var secrets = (app.Configuration["WEBHOOK_SECRETS"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
var verifier = secrets.Length > 0 ? new WebhookVerifier(secrets) : null;
var seen = new ConcurrentDictionary<string, DateTimeOffset>();

// The CloudEvents webhook handshake: allow the sender named in WebHook-Request-Origin.
app.MapMethods("/webhooks", ["OPTIONS"], (HttpContext context) =>
{
    context.Response.Headers["WebHook-Allowed-Origin"] = context.Request.Headers["WebHook-Request-Origin"].ToString();
    return Results.Ok();
});

app.MapPost("/webhooks", async (HttpRequest request, ILogger<Program> logger) =>
{
    // Verify the exact bytes received: read the body as a string before any JSON parsing.
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync();
    var id = request.Headers["webhook-id"].ToString();
    var refusal = verifier is null
        ? "no secret is set (WEBHOOK_SECRETS)"
        : verifier.Check(id, request.Headers["webhook-timestamp"], request.Headers["webhook-signature"], body);
    if (refusal is not null)
    {
        logger.LogWarning("Refused a webhook: {Refusal}", refusal);
        return Results.Unauthorized();
    }

    // The same webhook-id arrives again when an earlier answer was lost: acknowledge it, act once.
    if (seen.TryAdd(id, DateTimeOffset.UtcNow))
    {
        logger.LogInformation("Webhook {Id}: {Body}", id, body);
    }

    return Results.NoContent();
});

app.Run();
