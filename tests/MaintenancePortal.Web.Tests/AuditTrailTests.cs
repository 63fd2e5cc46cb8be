using System.Security.Claims;
using Bunit;
using MaintenancePortal.Domain.Audit;
using MaintenancePortal.Web.Components.Pages;
using MaintenancePortal.Web.Security;

namespace MaintenancePortal.Web.Tests;

public sealed class AuditTrailTests : PortalTestContext
{
    private void Record(string? tenantId, string action, string actorId, int minutesAgo, AuditOutcome outcome = AuditOutcome.Succeeded)
    {
        var at = Moves.Now.AddMinutes(-minutesAgo);
        AuditTrail.Entries.Add(new AuditEntry(AuditEntry.NewId(at), at, new AuditActor(ActorKind.User, actorId, actorId, tenantId), tenantId,
            action, "target", outcome, outcome == AuditOutcome.Refused ? "You have no move mv-1." : null, "127.0.0.1"));
    }

    [Fact]
    public void Render_ForATenant_ShowsItsOwnEntriesNewestFirstAndNoOneElses()
    {
        SignInAsTenant("contoso", "Contoso");
        Record("contoso", AuditActions.KeyCreate, "dev:contoso", 5);
        Record("contoso", AuditActions.MoveApprove, "dev:contoso", 1, AuditOutcome.Refused);
        Record("fabrikam", AuditActions.WebhookSecretReveal, "dev:fabrikam", 2);
        Record(null, AuditActions.MaintenanceStart, "dev:operator", 3);

        var cut = Render<AuditTrail>();

        var rows = cut.FindAll("[data-testid=audit-row]");
        Assert.Equal([AuditActions.MoveApprove, AuditActions.KeyCreate], rows.Select(r => r.GetAttribute("data-action")));
        Assert.Equal("Refused", rows[0].GetAttribute("data-outcome"));
        Assert.Contains("You have no move mv-1.", cut.Markup, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("#audit-tenant")); // no tenant to choose
        Assert.All(AuditTrail.Queries, q => Assert.Equal("contoso", q.TenantId));
    }

    [Fact]
    public void Show_ForAnOperator_FiltersByTenantAndPagesToOlderEntries()
    {
        Auth.SetAuthorized("Operator");
        Auth.SetRoles(PortalClaims.OperatorRole);
        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, "dev:operator"));
        for (var i = 0; i < AuditQuery.DefaultLimit + 5; i++)
        {
            Record(i % 2 == 0 ? "contoso" : "fabrikam", AuditActions.WebhookTest, "someone", i + 1);
        }

        var cut = Render<AuditTrail>();
        Assert.Equal(AuditQuery.DefaultLimit, cut.FindAll("[data-testid=audit-row]").Count);
        cut.Find("[data-testid=audit-older]").Click();
        cut.WaitForAssertion(() => Assert.Equal(AuditQuery.DefaultLimit + 5, cut.FindAll("[data-testid=audit-row]").Count));
        Assert.Empty(cut.FindAll("[data-testid=audit-older]"));

        cut.Find("#audit-tenant").Change("fabrikam");
        cut.Find("[data-testid=audit-search]").Click();

        cut.WaitForAssertion(() => Assert.Equal(27, cut.FindAll("[data-testid=audit-row]").Count));
        Assert.Equal("fabrikam", AuditTrail.Queries[^1].TenantId);
    }
}
