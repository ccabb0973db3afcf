using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>The whole composed product on the real host (real Kestrel, real Azurite), shared by the dashboard's tests.</summary>
public sealed class DashboardHost : FunctionsHostFixture
{
    protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with { IncludeProduct = true };
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardHost>
{
    public const string Name = "dashboard host";
}
