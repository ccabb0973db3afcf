using Serverless.Testing.Host;

namespace Serverless.Functions.Api.Tests;

/// <summary>The whole composed product on the real host (real Kestrel, real Azurite), with containers and tables of its own.</summary>
public sealed class ProductHost : FunctionsHostFixture
{
    protected override FunctionsTestHostOptions Configure(FunctionsTestHostOptions options) => options with { IncludeProduct = true };
}
