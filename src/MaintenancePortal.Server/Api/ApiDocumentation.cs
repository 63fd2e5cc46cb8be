using MaintenancePortal.Server.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// The API describes itself: OpenAPI 3.1 at <c>/openapi/v1.json</c> (the <c>/api</c> routes, their
/// request and response records, the two ways in, the problem-details errors each route can answer)
/// and an interactive reference at <c>/api-docs</c> that loads nothing from elsewhere.
/// </summary>
public static class ApiDocumentation
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string KeyScheme = "apiKey";
    public const string SessionScheme = "session";

    public static IServiceCollection AddApiDocumentation(this IServiceCollection services) =>
        services.AddOpenApi(openApi =>
        {
            openApi.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            openApi.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            openApi.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "MaintenancePortal API",
                    Version = "v1",
                    Description = "Tenants: your maintenance, preferences, webhooks, keys and audit trail. Operators: the fleet. "
                                  + "Authenticate with an API key (Authorization: Bearer mpk_…) or the portal's session cookie; "
                                  + $"a write with the cookie needs the {CrossSiteWriteGuard.RequiredHeader} header. "
                                  + "Errors are problem details (RFC 9457); a 400 names the field in errors.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [KeyScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http,
                        Scheme = "bearer",
                        BearerFormat = "mpk_{id}_{secret}",
                        Description = "An API key made under API keys in the portal or with POST /api/tenant/keys. Scopes: Read (GET), Manage (everything).",
                    },
                    [SessionScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Cookie,
                        Name = "maintenance-portal",
                        Description = $"The portal's session, after signing in. Writes need the {CrossSiteWriteGuard.RequiredHeader} header.",
                    },
                };
                return Task.CompletedTask;
            });
            openApi.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                var method = context.Description.HttpMethod ?? "GET";
                var reads = HttpMethods.IsGet(method) || HttpMethods.IsHead(method);
                if (metadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security =
                    [
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(KeyScheme, context.Document)] = [] },
                        new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SessionScheme, context.Document)] = [] },
                    ];
                }

                var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), cancellationToken: cancellationToken);
                var validation = await context.GetOrCreateSchemaAsync(typeof(HttpValidationProblemDetails), cancellationToken: cancellationToken);
                var hasBody = context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Body");
                var hasPathId = context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Path");
                var hasQuery = context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Query");
                operation.Responses ??= [];
                void Add(int status, string description, IOpenApiSchema schema)
                {
                    var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (!operation.Responses.ContainsKey(key))
                    {
                        operation.Responses[key] = new OpenApiResponse
                        {
                            Description = description,
                            Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
                        };
                    }
                }

                if (hasBody || hasQuery || hasPathId)
                {
                    Add(StatusCodes.Status400BadRequest, "Invalid input; errors names the field.", validation);
                }

                Add(StatusCodes.Status401Unauthorized, "Not signed in, or the key is unknown, revoked or expired.", problem);
                Add(StatusCodes.Status403Forbidden, reads
                    ? "Signed in, but not as the role this route needs."
                    : "Not the role this route needs, a key without the Manage scope, or a cookie write without the portal's header.", problem);
                if (hasPathId)
                {
                    Add(StatusCodes.Status404NotFound, "No such thing, or it is another tenant's.", problem);
                }

                if (!reads)
                {
                    Add(StatusCodes.Status409Conflict, "The current state refuses it.", problem);
                }

                if (hasBody)
                {
                    Add(StatusCodes.Status413PayloadTooLarge, $"The body is over {RequestBody.MaxBytes / 1024} KiB.", problem);
                }

                Add(StatusCodes.Status429TooManyRequests, "The key's rate limit; see Retry-After.", problem);
                Add(StatusCodes.Status503ServiceUnavailable, "Part of the cluster is moving to another server; see Retry-After.", problem);
            });
        });

    public static WebApplication MapApiDocumentation(this WebApplication app)
    {
        app.MapOpenApi(DocumentPath).AllowAnonymous();
        app.MapScalarApiReference("/api-docs", scalar => scalar
                .WithTitle("MaintenancePortal API")
                .WithOpenApiRoutePattern(DocumentPath)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .AddPreferredSecuritySchemes(KeyScheme))
            .AllowAnonymous();
        return app;
    }
}
