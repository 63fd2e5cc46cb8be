using MaintenancePortal.Domain.Webhooks;
using Microsoft.Extensions.Time.Testing;

namespace MaintenancePortal.Domain.Tests.Webhooks;

public sealed class WebhookEndpointTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 8, 0, 0, TimeSpan.Zero);
    private static readonly string[] Known = ["com.maintenanceportal.instance.migration.completed", "com.maintenanceportal.host.drained"];

    internal static WebhookEndpoint NewEndpoint(string url = "https://hooks.example.com/maintenance", string[]? types = null,
        string[]? instances = null) =>
        WebhookEndpoint.Create(WebhookEndpoint.NewId(), "tenant-a",
            EndpointSettings.Create(new Uri(url), "ops", EventTypeFilter.Parse(types, Known), instances), Start);

    [Fact]
    public void A_new_endpoint_has_a_generated_secret_and_receives_nothing_until_verified()
    {
        var endpoint = NewEndpoint();

        Assert.True(WebhookSecret.IsWellFormed(endpoint.CurrentSecret.Value));
        Assert.Equal(EndpointStatus.Unverified, endpoint.Status);
        Assert.False(endpoint.Selects(Known[0], "i-1"));
        Assert.True(endpoint.Verified().Selects(Known[0], "i-1"));
    }

    [Fact]
    public void A_null_or_empty_instance_id_is_refused_naming_the_entry()
    {
        Assert.Equal("instanceIds[1]", Assert.Throws<InvalidRequestException>(() => NewEndpoint(instances: ["i-1", null!])).Field);
        Assert.Equal("instanceIds[0]", Assert.Throws<InvalidRequestException>(() => NewEndpoint(instances: [""])).Field);
    }

    [Fact]
    public void Secrets_are_random_and_carry_at_least_24_bytes()
    {
        var a = WebhookSecret.Generate(Start).Value;
        var b = WebhookSecret.Generate(Start).Value;

        Assert.NotEqual(a, b);
        Assert.StartsWith("whsec_", a, StringComparison.Ordinal);
        Assert.True(Convert.FromBase64String(a["whsec_".Length..]).Length >= WebhookSecret.MinimumBytes);
        Assert.False(WebhookSecret.IsWellFormed("whsec_" + Convert.ToBase64String(new byte[23])));
        Assert.False(WebhookSecret.IsWellFormed("secret_" + Convert.ToBase64String(new byte[32])));
    }

    [Fact]
    public void Rotation_signs_with_both_secrets_through_the_grace_period_then_only_the_new_one()
    {
        var clock = new FakeTimeProvider(Start);
        var endpoint = NewEndpoint();
        var old = endpoint.CurrentSecret.Value;

        var rotated = endpoint.RotateSecret(clock.GetUtcNow());
        Assert.Equal([rotated.CurrentSecret.Value, old], rotated.SigningSecrets(clock.GetUtcNow()));

        clock.Advance(WebhookEndpoint.RotationGrace - TimeSpan.FromSeconds(1));
        Assert.Equal(2, rotated.SigningSecrets(clock.GetUtcNow()).Count);

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([rotated.CurrentSecret.Value], rotated.SigningSecrets(clock.GetUtcNow()));
    }

    [Fact]
    public void A_second_rotation_drops_the_oldest_secret_at_once()
    {
        var endpoint = NewEndpoint();
        var first = endpoint.CurrentSecret.Value;

        var twice = endpoint.RotateSecret(Start).RotateSecret(Start.AddMinutes(1));

        Assert.DoesNotContain(first, twice.SigningSecrets(Start.AddMinutes(1)));
        Assert.Equal(2, twice.SigningSecrets(Start.AddMinutes(1)).Count);
    }

    [Fact]
    public void A_new_url_must_pass_the_registration_check_again()
    {
        var endpoint = NewEndpoint().Verified();

        var moved = endpoint.Update(endpoint.Settings with { Url = new Uri("https://other.example.com/hook") });

        Assert.Equal(EndpointStatus.Unverified, moved.Status);
        Assert.Throws<DomainException>(moved.Enable);
        Assert.Equal(EndpointStatus.Enabled, moved.Verified().Status);
    }

    [Fact]
    public void Changing_only_the_filters_keeps_the_endpoint_enabled()
    {
        var endpoint = NewEndpoint().Verified();

        var filtered = endpoint.Update(endpoint.Settings with { Description = "new" });

        Assert.Equal(EndpointStatus.Enabled, filtered.Status);
    }

    [Fact]
    public void Gone_disables_the_endpoint()
    {
        var endpoint = NewEndpoint().Verified();

        var after = endpoint.After(DeliveryAttempt.Answered("msg_1", 1, Start, 410, TimeSpan.Zero, null, null));

        Assert.Equal(EndpointStatus.Disabled, after.Status);
        Assert.Contains("410", after.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Failing_for_five_days_without_a_delivery_disables_the_endpoint_and_a_delivery_resets_the_count()
    {
        var endpoint = NewEndpoint().Verified();
        DeliveryAttempt Failed(TimeSpan after) => DeliveryAttempt.Answered("msg_1", 1, Start + after, 500, TimeSpan.Zero, null, null);

        var failing = endpoint.After(Failed(TimeSpan.Zero)).After(Failed(TimeSpan.FromDays(3)));
        Assert.Equal(Start, failing.FailingSince);

        var recovered = failing.After(DeliveryAttempt.Answered("msg_2", 1, Start.AddDays(4), 200, TimeSpan.Zero, null, null));
        Assert.Null(recovered.FailingSince);
        Assert.Equal(EndpointStatus.Enabled, recovered.After(Failed(TimeSpan.FromDays(6))).After(Failed(TimeSpan.FromDays(10.9))).Status);

        var dead = failing.After(Failed(TimeSpan.FromDays(5)));
        Assert.Equal(EndpointStatus.Disabled, dead.Status);
        Assert.Contains("5 days", dead.StatusReason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_instance_filter_selects_only_events_about_those_instances()
    {
        var endpoint = NewEndpoint(instances: ["i-1"]).Verified();

        Assert.True(endpoint.Selects(Known[0], "i-1"));
        Assert.False(endpoint.Selects(Known[0], "i-2"));
        Assert.False(endpoint.Selects(Known[1], "h-1"));
    }

    [Fact]
    public void The_type_filter_selects_only_matching_types()
    {
        var endpoint = NewEndpoint(types: ["*.drained"]).Verified();

        Assert.True(endpoint.Selects(Known[1], "h-1"));
        Assert.False(endpoint.Selects(Known[0], "i-1"));
    }

    [Fact]
    public void A_disabled_endpoint_can_be_enabled_again_once_verified()
    {
        var endpoint = NewEndpoint().Verified().Disable("by the tenant");

        Assert.False(endpoint.Selects(Known[0], "i-1"));
        Assert.Equal(EndpointStatus.Enabled, endpoint.Enable().Status);
    }

    [Theory]
    [InlineData("EP_0123456789abcdef0123456789abcdef")]
    [InlineData("ep_0123456789ABCDEF0123456789abcdef")]
    [InlineData("ep_0123")]
    [InlineData("../ep_0123456789abcdef0123456789abcd")]
    public void Malformed_endpoint_ids_are_recognised(string id) => Assert.False(WebhookEndpoint.IsWellFormedId(id));

    [Fact]
    public void New_endpoint_ids_are_well_formed() => Assert.True(WebhookEndpoint.IsWellFormedId(WebhookEndpoint.NewId()));
}
