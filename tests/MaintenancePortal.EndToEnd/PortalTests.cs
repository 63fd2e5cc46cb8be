using System.Text.Json;
using MaintenancePortal.Tests.Shared;
using Microsoft.Playwright;

namespace MaintenancePortal.EndToEnd;

public sealed class PortalTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    internal static async Task SignInAsync(IPage page, string who)
    {
        await page.GotoAsync("signin");
        await page.SelectOptionAsync("#principal", who);
        await page.ClickAsync("#sign-in");
        // Signed in once the browser has left the sign-in page; the redirect may be an enhanced
        // (same-document) navigation with no load event to wait for.
        await page.WaitForURLAsync(url => !url.Contains("/signin", StringComparison.Ordinal),
            new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit });
    }

    private static async Task<JsonElement> HostAsync(IPage page, string hostId)
    {
        var hosts = await page.APIRequest.GetAsync("api/operator/hosts");
        Assert.Equal(200, hosts.Status);
        return (await hosts.JsonAsync())!.Value.EnumerateArray().Single(h => h.GetProperty("hostId").GetString() == hostId);
    }

    private async Task RunAsync(Func<IPage, Task> test)
    {
        var page = await portal.NewPageAsync();
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        page.RequestFailed += (_, request) => console.Add($"request failed: {request.Url} {request.Failure}");
        try
        {
            await test(page);
        }
        catch (Exception ex)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("failure"), FullPage = true });
            throw new InvalidOperationException(
                $"{ex.Message}\n--- browser console ---\n{string.Join('\n', console)}\n--- server output ---\n{portal.Server.Output}", ex);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    internal static string Screenshot(string name)
    {
        var dir = Path.Combine(Repository.Root(), "artifacts", "screenshots");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name + ".png");
    }

    [Fact]
    public Task Operator_starts_maintenance_and_the_tenant_sees_every_move_complete_with_id_and_ip_kept() => RunAsync(async page =>
    {
        const string hostId = "h-contoso-02";
        await SignInAsync(page, "operator");
        await page.WaitForSelectorAsync("[data-testid=operator-console][data-interactive=true]");
        var instanceIds = (await HostAsync(page, hostId)).GetProperty("placed").EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.NotEmpty(instanceIds);

        await page.ClickAsync($"tr[data-host='{hostId}'] [data-testid=start-maintenance]");
        await page.WaitForSelectorAsync($"tr[data-testid=maintenance-row][data-host='{hostId}']");
        await page.WaitForSelectorAsync($"tr[data-testid=host-row][data-host='{hostId}'][data-state=Drained]",
            new PageWaitForSelectorOptions { Timeout = 120_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("operator-console"), FullPage = true });

        await page.ClickAsync("button:has-text('Sign out')");
        await page.WaitForURLAsync(url => url.Contains("/signed-out", StringComparison.Ordinal));
        await Assertions.Expect(page.GetByText("You are signed out of the portal.")).ToBeVisibleAsync();
        await SignInAsync(page, "tenant:contoso");
        await page.WaitForSelectorAsync("[data-testid=tenant-migrations][data-interactive=true]");

        var completed = page.Locator($"[data-testid=move-row][data-source-host='{hostId}'][data-state=Completed]");
        await Assertions.Expect(completed).ToHaveCountAsync(instanceIds.Count, new() { Timeout = 60_000 });
        var receipts = await completed.Locator("[data-testid=move-receipt]").AllTextContentsAsync();
        Assert.All(receipts, r => Assert.Contains("ID and IP kept", r, StringComparison.Ordinal));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Screenshot("tenant-migrations"), FullPage = true });

        // The same through the tenant API: every instance of the host, each with its ID and IP unchanged.
        var moves = (await (await page.APIRequest.GetAsync("api/tenant/migrations?limit=500")).JsonAsync())!.Value.GetProperty("moves")
            .EnumerateArray().Where(m => m.GetProperty("sourceHostId").GetString() == hostId).ToList();
        Assert.Equal(instanceIds, moves.Select(m => m.GetProperty("instanceId").GetString()!).ToHashSet());
        foreach (var summary in moves)
        {
            var move = (await (await page.APIRequest.GetAsync($"api/tenant/migrations/{summary.GetProperty("moveId").GetString()}")).JsonAsync())!.Value;
            var receipt = move.GetProperty("receipt");
            Assert.Equal(receipt.GetProperty("instanceIdBefore").GetString(), receipt.GetProperty("instanceIdAfter").GetString());
            Assert.Equal(receipt.GetProperty("privateIpBefore").GetString(), receipt.GetProperty("privateIpAfter").GetString());
        }
    });

    [Fact]
    public Task The_api_refuses_bad_input_with_problem_details_and_changes_nothing() => RunAsync(async page =>
    {
        const string hostId = "h-contoso-03";
        Assert.Equal(401, (await page.APIRequest.GetAsync("api/operator/hosts")).Status);

        await SignInAsync(page, "operator");
        var badReason = await page.APIRequest.PostAsync($"api/operator/hosts/{hostId}/maintenance",
            new() { DataObject = new { reason = "Meteor" } });
        Assert.Equal(400, badReason.Status);
        Assert.StartsWith("application/problem+json", badReason.Headers["content-type"]);
        Assert.Contains("FirmwareUpdate", await badReason.TextAsync());

        var unknownHost = await page.APIRequest.PostAsync("api/operator/hosts/h-nowhere/maintenance",
            new() { DataObject = new { reason = "FirmwareUpdate" } });
        Assert.Equal(404, unknownHost.Status);
        Assert.StartsWith("application/problem+json", unknownHost.Headers["content-type"]);

        var malformed = await page.APIRequest.PostAsync($"api/operator/hosts/{hostId}/maintenance",
            new() { Data = "{not json", Headers = new Dictionary<string, string> { ["content-type"] = "application/json" } });
        Assert.Equal(400, malformed.Status);

        Assert.Equal("Available", (await HostAsync(page, hostId)).GetProperty("state").GetString());
        Assert.Equal(404, (await page.APIRequest.GetAsync("api/operator/maintenance/mnt-none")).Status);

        Assert.Equal(404, (await page.APIRequest.PostAsync("api/operator/maintenance/mnt-none/cancel")).Status);
        Assert.Equal(404, (await page.APIRequest.PostAsync("api/operator/instances/i-none/abort")).Status);
        var badMode = await page.APIRequest.PostAsync("api/operator/instances/i-none/force-complete",
            new() { DataObject = new { mode = "Teleport" } });
        Assert.Equal(400, badMode.Status);

        await page.Context.ClearCookiesAsync();
        await SignInAsync(page, "tenant:fabrikam");
        Assert.Equal(403, (await page.APIRequest.GetAsync("api/operator/hosts")).Status);
        Assert.Equal(404, (await page.APIRequest.PostAsync("api/tenant/migrations/mv-someone-elses/reschedule",
            new() { DataObject = new { start = DateTimeOffset.UtcNow.AddHours(1) } })).Status);
        Assert.Equal(400, (await page.APIRequest.PostAsync("api/tenant/migrations/mv-any/reschedule", new() { DataObject = new { } })).Status);

        var unknownInstance = await page.APIRequest.PutAsync("api/tenant/preferences",
            new() { DataObject = new { @default = "LiveMigrate", perInstance = new Dictionary<string, string> { ["i-not-mine"] = "AskFirst" } } });
        Assert.Equal(400, unknownInstance.Status);
        Assert.Contains("i-not-mine", await unknownInstance.TextAsync());
        var badWindow = await page.APIRequest.PutAsync("api/tenant/preferences",
            new() { DataObject = new { windows = new[] { new { day = "Sunday", start = "02:00", length = "00:00:00" } } } });
        Assert.Equal(400, badWindow.Status);
        Assert.Equal("LiveMigrate", (await (await page.APIRequest.GetAsync("api/tenant/preferences")).JsonAsync())!.Value
            .GetProperty("default").GetString());

        var saved = await page.APIRequest.PutAsync("api/tenant/preferences",
            new() { DataObject = new { @default = "RebootInWindow", windows = new[] { new { day = "Sunday", start = "02:00", length = "04:00:00" } } } });
        Assert.Equal(200, saved.Status);
        var preferences = (await (await page.APIRequest.GetAsync("api/tenant/preferences")).JsonAsync())!.Value;
        Assert.Equal("RebootInWindow", preferences.GetProperty("default").GetString());
        Assert.Equal("Sunday", preferences.GetProperty("windows")[0].GetProperty("day").GetString());
    });
}
