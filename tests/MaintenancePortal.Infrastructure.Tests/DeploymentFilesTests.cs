namespace MaintenancePortal.Infrastructure.Tests;

public sealed class DeploymentFilesTests
{
    [Fact]
    public async Task The_bicep_template_builds_with_the_real_bicep_cli()
    {
        var outFile = Path.Combine(Path.GetTempPath(), $"main-{Guid.NewGuid():N}.json");

        var build = await Tool.RunAsync(Tool.BicepPath(), "build", "bicep/main.bicep", "--outfile", outFile);

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Contains("Microsoft.App/containerApps", await File.ReadAllTextAsync(outFile, TestContext.Current.CancellationToken));
        File.Delete(outFile);
    }

    [Fact]
    public async Task The_bicep_template_has_no_linter_findings()
    {
        // "bicep lint" exits 0 on warnings, so its output is what tells.
        var lint = await Tool.RunAsync(Tool.BicepPath(), "lint", "bicep/main.bicep");

        Assert.Equal(0, lint.ExitCode);
        Assert.DoesNotMatch("(?i)warning|error", lint.Output);
    }

    [Fact]
    public async Task The_compose_file_is_valid()
    {
        var config = await Tool.RunAsync("docker-compose", "-f", "docker-compose.yml", "config", "-q");

        Assert.True(config.ExitCode == 0, config.Output);
    }
}
