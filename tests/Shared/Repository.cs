namespace MaintenancePortal.Tests.Shared;

/// <summary>Where the repository is, for tests that run its files or its built server.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MaintenancePortal.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("MaintenancePortal.sln not found above " + AppContext.BaseDirectory);
    }
}
