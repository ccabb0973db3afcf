using Xunit;

namespace Serverless.Functions.Serving.Tests;

/// <summary>The tests that share one product host and its trained model.</summary>
[CollectionDefinition(Name)]
public sealed class ServingCollection : ICollectionFixture<ServingProductHost>
{
    public const string Name = "serving product";
}
