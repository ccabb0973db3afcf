namespace Serverless.Testing;

/// <summary>The real datasets in <c>../shared/data</c> beside the repository (see its README).</summary>
public static class SharedData
{
    public static string Folder { get; } = Locate();

    public static string PathOf(string file) => System.IO.Path.Combine(Folder, file);

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "data");
            if (File.Exists(System.IO.Path.Combine(candidate, "wine.csv")))
            {
                return candidate;
            }

            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Serverless.sln")))
            {
                var sibling = System.IO.Path.Combine(dir.FullName, "..", "shared", "data");
                if (File.Exists(System.IO.Path.Combine(sibling, "wine.csv")))
                {
                    return System.IO.Path.GetFullPath(sibling);
                }
            }
        }

        throw new DirectoryNotFoundException("The shared datasets (../shared/data beside the repository) were not found.");
    }
}
