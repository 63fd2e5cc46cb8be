using System.Globalization;
using System.Net;
using System.Threading.RateLimiting;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Server.Audit;
using MaintenancePortal.Server.Extensions;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace MaintenancePortal.Server.Access;

/// <summary>
/// Who gets in (docs/access.md): people by OpenID Connect or, in the embedded profile, the
/// development picker, both ending in the portal's session cookie; programs by API key; the scope
/// and cross-site checks on the API; a rate limit per key; the audit trail.
/// </summary>
public static class AccessExtensions
{
    /// <summary>Picks the scheme per request: a bearer credential is a key, anything else the session cookie.</summary>
    private const string PortalScheme = "Portal";

    public static WebApplicationBuilder AddAccess(this WebApplicationBuilder builder, SignInSettings signIn, DurableSettings? durable)
    {
        var services = builder.Services;
        services.AddSingleton(signIn);
        services.AddSingleton(new PortalSignIn(signIn.UsesPicker));
        services.AddHttpContextAccessor();

        var authentication = services.AddAuthentication(options =>
            {
                options.DefaultScheme = PortalScheme;
                options.DefaultSignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddPolicyScheme(PortalScheme, "Session or API key", policy =>
            {
                policy.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.HasBearer(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(cookie =>
            {
                cookie.LoginPath = "/account/signin";
                cookie.Cookie.Name = "maintenance-portal";
                cookie.Cookie.HttpOnly = true;
                // Lax, not Strict: the return from the OpenID provider is a top-level navigation from another site.
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = signIn.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => ApiAwareRedirect(context, StatusCodes.Status403Forbidden);
                cookie.Events.OnSignedIn = context => SignedInAsync(context.HttpContext, context.Principal!);
                cookie.Events.OnSigningOut = context => context.HttpContext.RequestServices.GetRequiredService<AuditRecorder>()
                    .RecordAsync(AuditActions.SignOut, context.HttpContext.User.FindFirst(PortalClaims.TenantId)?.Value,
                        PortalClaims.ActorOf(context.HttpContext.User).Id, AuditOutcome.Succeeded, null);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        if (signIn.UsesOpenIdConnect)
        {
            authentication.AddOpenIdConnect(oidc => ConfigureOpenIdConnect(oidc, signIn.OpenIdConnect));
        }

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ApiScopeRequirement>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ApiForbiddenHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(PortalClaims.TenantPolicy, policy => policy
                .RequireRole(PortalClaims.TenantRole)
                .RequireClaim(PortalClaims.TenantId)
                .AddRequirements(new ApiScopeRequirement()))
            .AddPolicy(PortalClaims.OperatorPolicy, policy => policy
                .RequireRole(PortalClaims.OperatorRole)
                .AddRequirements(new ApiScopeRequirement()));

        var limit = builder.Configuration.GetSection("Api:RateLimit").Get<RateLimitSettings>() ?? new RateLimitSettings();
        limit.Check();
        services.AddSingleton(new RefusedKeyLimiter(limit));
        services.AddRateLimiter(limiter =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.User.FindFirst(PortalClaims.KeyId)?.Value is { } keyId
                    ? RateLimitPartition.GetTokenBucketLimiter(keyId, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limit.Burst,
                        TokensPerPeriod = limit.PermitsPerSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    })
                    : RateLimitPartition.GetNoLimiter(""));
            limiter.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await Results.Problem($"This key made more than {limit.PermitsPerSecond} requests a second (bursts of {limit.Burst}); try again in {retryAfter} s.",
                    statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests").ExecuteAsync(context.HttpContext);
            };
        });

        if (signIn.KnownProxies.Count > 0)
        {
            services.Configure<ForwardedHeadersOptions>(forwarded =>
            {
                forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                forwarded.KnownProxies.Clear();
                forwarded.KnownIPNetworks.Clear();
                foreach (var proxy in signIn.KnownProxies)
                {
                    forwarded.KnownProxies.Add(IPAddress.Parse(proxy));
                }
            });
        }

        services.AddSingleton<CurrentActor>();
        services.AddScoped<CircuitHandler, ActorCircuitHandler>();
        services.AddSingleton<AuditRecorder>();
        if (durable is null)
        {
            services.AddSingleton<IAuditTrail, MemoryAuditTrail>();
        }
        else
        {
            services.AddSingleton<IAuditTrail>(_ => new TableAuditTrail(durable.Tables));
        }

        return builder;
    }

    public static WebApplication UseAccess(this WebApplication app)
    {
        if (app.Services.GetRequiredService<SignInSettings>().KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            CurrentActor.Set(context.User, context.Connection.RemoteIpAddress?.ToString());
            if (CrossSiteWriteGuard.Refusal(context) is { } refusal)
            {
                await Results.Problem(refusal, statusCode: StatusCodes.Status403Forbidden, title: "Cross-site request refused")
                    .ExecuteAsync(context);
                return;
            }

            await next(context);
        });
        app.UseRateLimiter();
        app.UseAuthorization();
        return app;
    }

    private static void ConfigureOpenIdConnect(OpenIdConnectOptions oidc, OpenIdConnectSettings settings)
    {
        oidc.Authority = settings.Authority;
        oidc.ClientId = settings.ClientId;
        oidc.ClientSecret = settings.ClientSecret;
        oidc.ResponseType = OpenIdConnectResponseType.Code;
        oidc.UsePkce = true;
        // The answer comes back in the query, so the correlation and nonce cookies can be Lax (a form
        // post from the provider's site would need SameSite=None, which needs https).
        oidc.ResponseMode = OpenIdConnectResponseMode.Query;
        oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
        oidc.NonceCookie.SameSite = SameSiteMode.Lax;
        // Secure whenever the request is https (behind a proxy: as its forwarded headers say), like the session.
        oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        // The authorization request goes in the query (PKCE, state and nonce protect it), not pushed first.
        oidc.PushedAuthorizationBehavior = PushedAuthorizationBehavior.Disable;
        oidc.RequireHttpsMetadata = settings.RequiresHttpsMetadata;
        oidc.MapInboundClaims = false;
        oidc.GetClaimsFromUserInfoEndpoint = true;
        // The claims the mapping reads, from the ID token or from userinfo (arrays as one claim per value).
        oidc.ClaimActions.MapJsonKey(settings.OperatorClaim, settings.OperatorClaim);
        oidc.ClaimActions.MapJsonKey(settings.TenantClaim, settings.TenantClaim);
        oidc.SaveTokens = false;
        oidc.Scope.Clear();
        foreach (var scope in settings.EffectiveScopes)
        {
            oidc.Scope.Add(scope);
        }

        oidc.CallbackPath = "/signin-oidc";
        oidc.SignedOutCallbackPath = "/signout-callback-oidc";
        oidc.Events.OnTicketReceived = context =>
        {
            context.Principal = settings.Map(context.Principal!);
            return Task.CompletedTask;
        };
        oidc.Events.OnRemoteFailure = async context =>
        {
            // A refused or forged answer (another issuer, a replayed or tampered state): recorded, and the person told.
            await context.HttpContext.RequestServices.GetRequiredService<AuditRecorder>().RecordAsync(AuditActions.SignInRefused, null,
                "openid-connect", AuditOutcome.Refused, context.Failure?.Message);
            context.Response.Redirect("/no-access?failed=true");
            context.HandleResponse();
        };
    }

    /// <summary>A session began: recorded as a sign-in, or as refused when it gives no tenant and no operator role.</summary>
    private static Task SignedInAsync(HttpContext context, System.Security.Claims.ClaimsPrincipal principal)
    {
        var actor = PortalClaims.ActorOf(principal);
        var mapped = principal.IsInRole(PortalClaims.OperatorRole) || principal.IsInRole(PortalClaims.TenantRole);
        CurrentActor.Set(principal, context.Connection.RemoteIpAddress?.ToString());
        return context.RequestServices.GetRequiredService<AuditRecorder>().RecordAsync(
            mapped ? AuditActions.SignIn : AuditActions.SignInRefused, actor.TenantId, actor.Id,
            mapped ? AuditOutcome.Succeeded : AuditOutcome.Refused, mapped ? null : "No tenant or operator mapping for this user.");
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            if (status == StatusCodes.Status401Unauthorized)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }
        }
        else
        {
            context.Response.Redirect(context.RedirectUri);
        }

        return Task.CompletedTask;
    }

    /// <summary>The rate limit of each API key (<c>Api:RateLimit</c>).</summary>
    public sealed class RateLimitSettings
    {
        public int PermitsPerSecond { get; set; } = 20;

        public int Burst { get; set; } = 100;

        /// <summary>Refused keys (unknown, revoked, expired, malformed) one address may try a second, and in a burst.</summary>
        public int RefusedKeysPerSecond { get; set; } = 5;

        public int RefusedKeysBurst { get; set; } = 20;

        public void Check()
        {
            if (PermitsPerSecond < 1 || Burst < 1 || RefusedKeysPerSecond < 1 || RefusedKeysBurst < 1)
            {
                throw new PortalConfigurationException(
                    "Api:RateLimit:PermitsPerSecond, Burst, RefusedKeysPerSecond and RefusedKeysBurst must be at least 1.");
            }
        }
    }
}
