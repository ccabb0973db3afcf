using Serverless.Testing;

namespace Serverless.Registry.Tests;

/// <summary>Registry components over an isolated set of tables in the shared Azurite.</summary>
internal static class RegistryFixture
{
    public static RegistryTables UniqueTables() => new()
    {
        Projects = AzuriteFixture.UniqueName("projects"),
        DatasetVersions = AzuriteFixture.UniqueName("datasets"),
        Models = AzuriteFixture.UniqueName("models"),
        ArtifactsContainer = AzuriteFixture.UniqueName("artifacts"),
    };
}
