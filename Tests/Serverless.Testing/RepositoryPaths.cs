namespace Serverless.Testing;

/// <summary>Where the repository is, for tests that start the host or read committed files.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = Locate();

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Serverless.sln was not found above the test binaries.");
    }
}
