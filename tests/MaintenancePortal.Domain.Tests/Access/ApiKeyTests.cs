using MaintenancePortal.Domain.Access;
using MaintenancePortal.Domain.Audit;

namespace MaintenancePortal.Domain.Tests.Access;

public sealed class ApiKeyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);
    private static readonly ApiKeyOwner Contoso = ApiKeyOwner.Tenant("contoso");

    [Fact]
    public void A_new_key_is_shown_once_and_kept_only_as_its_hash()
    {
        var created = ApiKey.Create(Contoso, " deploy ", [ApiKeyScope.Read], null, "dev:contoso", null, Now);

        Assert.True(ApiKeyText.TryParse(created.Text, out var id));
        Assert.Equal(created.Key.KeyId, id);
        Assert.Equal("deploy", created.Key.Name);
        Assert.DoesNotContain(created.Text, created.Key.ToString(), StringComparison.Ordinal);
        Assert.True(created.Key.Admits(created.Text, Now));
        Assert.False(created.Key.Admits(created.Text[..^1] + (created.Text[^1] == 'A' ? 'B' : 'A'), Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("mpk_")]
    [InlineData("mpk_ABCDEFGHIJKL_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("mpk_abcdefghijkl-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("mpk_abcdefghijkl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("mpk_abcdefghijkl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa=")]
    [InlineData("xpk_abcdefghijkl_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Text_that_is_not_of_the_key_form_is_refused_before_any_look_up(string text) =>
        Assert.False(ApiKeyText.TryParse(text, out _));

    [Fact]
    public void A_revoked_or_expired_key_admits_nothing()
    {
        var created = ApiKey.Create(Contoso, "k", [ApiKeyScope.Manage], Now.AddHours(1), "dev:contoso", null, Now);

        Assert.False(created.Key.Revoke(Now).Admits(created.Text, Now));
        Assert.True(created.Key.Admits(created.Text, Now.AddMinutes(59)));
        Assert.False(created.Key.Admits(created.Text, Now.AddHours(1)));
    }

    [Theory]
    [InlineData(null, "Read", 1, "name")]
    [InlineData("", "Read", 1, "name")]
    [InlineData("a\nb", "Read", 1, "name")]
    [InlineData("k", "", 1, "scopes")]
    [InlineData("k", "Read,Read", 1, "scopes")]
    [InlineData("k", "7", 1, "scopes")]
    [InlineData("k", "Read", -1, "expiresAt")]
    [InlineData("k", "Read", 400 * 24, "expiresAt")]
    public void A_key_that_breaks_a_rule_is_refused_naming_the_field(string? name, string scopes, int expiresInHours, string field)
    {
        var parsed = scopes.Length == 0 ? [] : scopes.Split(',').Select(s => int.TryParse(s, out var n) ? (ApiKeyScope)n : Enum.Parse<ApiKeyScope>(s)).ToList();

        var refused = Assert.Throws<InvalidRequestException>(() =>
            ApiKey.Create(Contoso, name, parsed, Now.AddHours(expiresInHours), "dev:contoso", null, Now));

        Assert.Equal(field, refused.Field);
    }

    [Fact]
    public void A_key_made_by_a_key_has_no_more_scopes_and_no_later_expiry_than_its_maker()
    {
        var maker = ApiKey.Create(Contoso, "maker", [ApiKeyScope.Read], Now.AddDays(7), "dev:contoso", null, Now).Key;

        Assert.Equal("scopes", Assert.Throws<InvalidRequestException>(() =>
            ApiKey.Create(Contoso, "k", [ApiKeyScope.Manage], Now.AddDays(1), maker.KeyId, maker, Now)).Field);
        Assert.Equal("expiresAt", Assert.Throws<InvalidRequestException>(() =>
            ApiKey.Create(Contoso, "k", [ApiKeyScope.Read], null, maker.KeyId, maker, Now)).Field);
        Assert.True(ApiKey.Create(Contoso, "k", [ApiKeyScope.Read], Now.AddDays(1), maker.KeyId, maker, Now).Key.Allows(ApiKeyScope.Read));
    }

    [Fact]
    public void Audit_queries_match_by_tenant_actor_action_prefix_and_time_and_refuse_what_they_cannot_read()
    {
        var entry = new AuditEntry(AuditEntry.NewId(Now), Now, new AuditActor(ActorKind.Key, "abc", "bot", "contoso"), "contoso",
            AuditActions.WebhookSecretRotate, "ep_1", AuditOutcome.Succeeded, null, "127.0.0.1");

        Assert.True(new AuditQuery("contoso", "abc", "webhook.", Now.AddMinutes(-1), Now).Matches(entry));
        Assert.True(new AuditQuery(Action: AuditActions.WebhookSecretRotate).Matches(entry));
        Assert.False(new AuditQuery(Action: "webhook.secret").Matches(entry));
        Assert.False(new AuditQuery("fabrikam").Matches(entry));
        Assert.False(new AuditQuery(From: Now.AddSeconds(1)).Matches(entry));
        Assert.Equal("limit", Assert.Throws<InvalidRequestException>(() => new AuditQuery(Limit: 0).Checked()).Field);
        Assert.Equal("from", Assert.Throws<InvalidRequestException>(() => new AuditQuery(From: Now, To: Now.AddDays(-1)).Checked()).Field);
        Assert.Equal("cursor", Assert.Throws<InvalidRequestException>(() => AuditQuery.CheckedCursor("' or 1 eq 1")).Field);
        Assert.Equal(entry.EntryId, AuditQuery.CheckedCursor(entry.EntryId));
        Assert.True(string.CompareOrdinal(AuditEntry.NewId(Now.AddSeconds(1)), entry.EntryId) < 0, "Newer entries sort first.");
    }
}
