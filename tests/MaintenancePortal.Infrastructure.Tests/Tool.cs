using System.Diagnostics;
using System.Reflection;
using MaintenancePortal.Tests.Shared;

namespace MaintenancePortal.Infrastructure.Tests;

/// <summary>Runs a command-line tool and keeps what it printed.</summary>
internal static class Tool
{
    public sealed record Result(int ExitCode, string Output);

    public static string BicepPath()
    {
        var path = typeof(Tool).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "BicepPath").Value!;
        // The package is the linux-x64 build, and NuGet does not keep its executable bit.
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The Bicep CLI package used here is the linux-x64 build.");
        }

        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute);
        return path;
    }

    public static async Task<Result> RunAsync(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Repository.Root(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new Result(process.ExitCode, (await output) + (await error));
    }
}
