using Bunit;
using MaintenancePortal.Domain.Access;
using MaintenancePortal.Web.Components.Pages;
using MudBlazor;

namespace MaintenancePortal.Web.Tests;

public sealed class ApiKeysTests : PortalTestContext
{
    public ApiKeysTests()
    {
        SignInAsTenant("contoso", "Contoso");
    }

    [Fact]
    public void Create_ShowsTheKeyOnceAndListsItWithoutIt()
    {
        var cut = Render<ApiKeys>();

        cut.Find("#key-name").Change("deploy pipeline");
        cut.Find("[data-testid=create-key]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("mpk_", cut.Find("[data-testid=created-key-text]").TextContent, StringComparison.Ordinal));
        var key = Assert.Single(KeyStore.Keys);
        Assert.Equal(ApiKeyOwner.Tenant("contoso"), key.Owner);
        Assert.Equal([ApiKeyScope.Read], key.Scopes);
        Assert.Equal(Moves.Now.AddDays(90), key.ExpiresAt);
        var row = cut.Find("[data-testid=key-row]");
        Assert.Equal("Active", row.GetAttribute("data-status"));
        Assert.Equal(key.KeyId, row.GetAttribute("data-key"));
        Assert.True(key.Admits(cut.Find("[data-testid=created-key-text]").TextContent, Moves.Now));
    }

    [Fact]
    public void Create_WithoutAName_SaysWhyAndMakesNothing()
    {
        var cut = Render<ApiKeys>();

        cut.Find("[data-testid=create-key]").Click();

        cut.WaitForAssertion(() => Assert.Contains("name", cut.Find("[data-testid=key-error]").TextContent, StringComparison.Ordinal));
        Assert.Empty(KeyStore.Keys);
        Assert.Empty(cut.FindAll("[data-testid=created-key]"));
    }

    [Fact]
    public void Revoke_AsksFirstThenShowsTheKeyRevoked()
    {
        var made = ApiKey.Create(ApiKeyOwner.Tenant("contoso"), "ci", [ApiKeyScope.Manage], null, "test", null, Moves.Now).Key;
        KeyStore.Keys.Add(made);
        KeyStore.Keys.Add(ApiKey.Create(ApiKeyOwner.Tenant("fabrikam"), "theirs", [ApiKeyScope.Read], null, "test", null, Moves.Now).Key);
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<ApiKeys>();
        Assert.Single(cut.FindAll("[data-testid=key-row]")); // fabrikam's is not listed

        cut.Find("[data-testid=revoke-key]").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", dialogs.Markup, StringComparison.Ordinal));
        Assert.Null(KeyStore.Keys[0].RevokedAt); // not before the answer
        dialogs.FindAll("button").First(b => b.TextContent.Trim() == "Revoke").Click();

        cut.WaitForAssertion(() => Assert.Equal("Revoked", cut.Find("[data-testid=key-row]").GetAttribute("data-status")));
        Assert.NotNull(KeyStore.Keys[0].RevokedAt);
        Assert.Null(KeyStore.Keys[1].RevokedAt);
    }
}
