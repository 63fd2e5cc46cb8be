using System.Net;
using System.Security.Claims;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Notices;
using MaintenancePortal.Grains.Access;
using MaintenancePortal.Notices.Contacts;
using MaintenancePortal.Web.Security;
using MaintenancePortal.Web.Services;
using Microsoft.AspNetCore.Diagnostics;

namespace MaintenancePortal.Server.Api;

/// <summary>
/// The tenant's e-mail contacts in the REST API, under <c>/api/tenant/notices/contacts</c> (another
/// tenant's contact id is answered 404, like one that never existed), and the two links a contact
/// gets by e-mail, which need no sign-in: <c>/notices/confirm/{token}</c> and
/// <c>/notices/unsubscribe/{token}</c>. A GET of either only shows a page with a button (a link
/// scanner must not confirm or unsubscribe anyone); the POST does it. The unsubscribe POST is the
/// one-click unsubscribe of RFC 8058 that mail clients send.
/// </summary>
public static class NoticeApi
{
    /// <summary>A contact as given in the API; what is left out takes its default (at once, 08:00, UTC).</summary>
    public sealed record ContactRequest(string? Address, IReadOnlyList<NoticeKind>? Kinds, NoticeCadence? Cadence, int? DigestHour, string? TimeZone)
    {
        public ContactSettings Settings() =>
            new(Address, Kinds is null ? default : [.. Kinds], Cadence ?? NoticeCadence.Immediate, DigestHour ?? 8, TimeZone ?? "UTC");
    }

    public sealed record ContactResponse(
        string Id,
        string Address,
        IReadOnlyList<NoticeKind> Kinds,
        NoticeCadence Cadence,
        int DigestHour,
        string TimeZone,
        ContactState State,
        string? StateReason,
        DateTimeOffset CreatedAt,
        DateTimeOffset? ConfirmedAt,
        int Waiting,
        int InDigest,
        DateTimeOffset? NextDigestAt)
    {
        public static ContactResponse Of(ContactOverview o) => new(o.Contact.ContactId, o.Contact.Address, o.Contact.Kinds, o.Contact.Cadence,
            o.Contact.DigestHour, o.Contact.TimeZone, o.Contact.State, o.Contact.StateReason, o.Contact.CreatedAt, o.Contact.ConfirmedAt,
            o.Waiting, o.InDigest, o.NextDigestAt);
    }

    /// <summary>A contact's delivery log, newest first.</summary>
    public sealed record DeliveriesResponse(string ContactId, bool Sends, IReadOnlyList<MailRecord> Mails);

    public static IEndpointRouteBuilder MapNoticeApi(this IEndpointRouteBuilder endpoints)
    {
        var contacts = endpoints.MapGroup("/api/tenant/notices/contacts").RequireAuthorization(PortalClaims.TenantPolicy);
        contacts.MapGet("/", async (ClaimsPrincipal user, ITenantNotices notices, CancellationToken ct) =>
            (await notices.ListAsync(PortalClaims.TenantIdOf(user), ct)).Select(ContactResponse.Of));
        contacts.MapPost("/", async (ContactRequest request, ClaimsPrincipal user, ITenantNotices notices, CancellationToken ct) =>
        {
            var created = ContactResponse.Of(await notices.CreateAsync(PortalClaims.TenantIdOf(user), request.Settings(), ct));
            return TypedResults.Created($"/api/tenant/notices/contacts/{created.Id}", created);
        });
        contacts.MapGet("/{contactId:id}", async (string contactId, ClaimsPrincipal user, ITenantNotices notices, CancellationToken ct) =>
            ContactResponse.Of(await notices.GetAsync(PortalClaims.TenantIdOf(user), contactId, ct)));
        contacts.MapPut("/{contactId:id}", async (string contactId, ContactRequest request, ClaimsPrincipal user, ITenantNotices notices,
            CancellationToken ct) => ContactResponse.Of(await notices.UpdateAsync(PortalClaims.TenantIdOf(user), contactId, request.Settings(), ct)));
        contacts.MapDelete("/{contactId:id}", async (string contactId, ClaimsPrincipal user, ITenantNotices notices, CancellationToken ct) =>
        {
            await notices.DeleteAsync(PortalClaims.TenantIdOf(user), contactId, ct);
            return TypedResults.NoContent();
        });
        contacts.MapPost("/{contactId:id}/confirmation", async (string contactId, ClaimsPrincipal user, ITenantNotices notices,
            CancellationToken ct) => ContactResponse.Of(await notices.ResendConfirmationAsync(PortalClaims.TenantIdOf(user), contactId, ct)));
        contacts.MapGet("/{contactId:id}/deliveries", async (string contactId, ClaimsPrincipal user, ITenantNotices notices,
            CancellationToken ct) =>
        {
            var contact = await notices.GetAsync(PortalClaims.TenantIdOf(user), contactId, ct);
            return new DeliveriesResponse(contactId, notices.Sends, [.. contact.Log.Reverse()]);
        });

        endpoints.MapGet("/notices/confirm/{token}", (string token) => Page("Confirm the address",
            "Follow the button to confirm that this address gets the maintenance notices it was added for.", "Confirm", null))
            .AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost("/notices/confirm/{token}", (HttpContext http, string token, IGrainFactory grains) =>
                LinkAsync(http, grains, AddressPurpose.ContactConfirmation, token, c => c.ConfirmAsync(token),
                    "Confirmed: this address gets the maintenance notices it was added for."))
            .AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        endpoints.MapGet("/notices/unsubscribe/{token}", (string token) => Page("Unsubscribe",
            "Follow the button to stop maintenance notices to this address.", "Unsubscribe", null))
            .AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost("/notices/unsubscribe/{token}", (HttpContext http, string token, IGrainFactory grains) =>
                LinkAsync(http, grains, AddressPurpose.Unsubscribe, token, c => c.UnsubscribeAsync(token),
                    "Unsubscribed: no more maintenance notices go to this address. The tenant can add it again in the portal."))
            .AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
        return endpoints;
    }

    /// <summary>Finds the contact the link was given to and applies it; an unknown or replaced link is a 404 that says nothing more.</summary>
    private static async Task<IResult> LinkAsync(HttpContext http, IGrainFactory grains, AddressPurpose purpose, string token,
        Func<INoticeContactGrain, Task<bool>> apply, string done)
    {
        var owner = AddressToken.IsWellFormed(token)
            ? await grains.GetGrain<IAddressTokenGrain>(AddressToken.Key(purpose, token)).GetOwnerAsync()
            : null;
        if (owner is null || !await apply(grains.GetGrain<INoticeContactGrain>(owner)))
        {
            http.Features.Get<IStatusCodePagesFeature>()?.Enabled = false;
            return Page("Link not valid", "This link is not valid any more: the contact was removed, or a newer link was sent.", null, 404);
        }

        return Page("Done", done, null, null);
    }

    /// <summary>A small page of its own (the portal's layout needs a sign-in); with a button, it posts back to its own address.</summary>
    private static IResult Page(string title, string text, string? button, int? status) => TypedResults.Content($"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{WebUtility.HtmlEncode(title)} - Maintenance notices</title></head>
        <body style="font-family:Roboto,Helvetica,Arial,sans-serif;max-width:560px;margin:40px auto;padding:0 16px;color:#1f2933">
        <h1 style="font-size:22px">{WebUtility.HtmlEncode(title)}</h1><p data-testid="link-text">{WebUtility.HtmlEncode(text)}</p>
        {(button is null ? "" : $"""<form method="post"><button type="submit" data-testid="link-button" style="font-size:16px;padding:8px 16px">{WebUtility.HtmlEncode(button)}</button></form>""")}
        </body></html>
        """, "text/html; charset=utf-8", System.Text.Encoding.UTF8, status);
}
