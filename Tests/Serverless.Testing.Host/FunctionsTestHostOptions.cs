using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Hosting.Keys;

namespace Serverless.Testing.Host;

/// <summary>How to start a <see cref="FunctionsTestHost"/>. Hosts given the same host id, keys table and storage share their state.</summary>
public sealed record FunctionsTestHostOptions
{
    public required string StorageConnectionString { get; init; }

    public string HostId { get; init; } = AzuriteFixture.UniqueName("host");

    public string HubName { get; init; } = AzuriteFixture.UniqueName("hub");

    public string KeysTable { get; init; } = AzuriteFixture.UniqueName("keys");

    public string MasterKey { get; init; } = KeySecrets.Generate();

    /// <summary>Compose the whole product (registry, training pipeline, serving, monitoring), as Program does.</summary>
    public bool IncludeProduct { get; init; }

    /// <summary>With <see cref="IncludeProduct"/>: prefix of the product's tables and containers, so hosts of different tests do not meet.</summary>
    public string ProductPrefix { get; init; } = AzuriteFixture.UniqueName("p");

    /// <summary>The container this host's dataset uploads go to (the contract's <c>datasets</c>).</summary>
    public string DatasetsContainer => ProductPrefix + "-datasets";

    /// <summary>The container of this host's artifacts (the contract's <c>artifacts</c>).</summary>
    public string ArtifactsContainer => ProductPrefix + "-artifacts";

    /// <summary>The container this host batch-scores uploads from (the contract's <c>scoring-input</c>).</summary>
    public string ScoringInputContainer => ProductPrefix + "-scoring-input";

    /// <summary>The container of this host's batch scoring outputs (the contract's <c>scoring-output</c>).</summary>
    public string ScoringOutputContainer => ProductPrefix + "-scoring-output";

    /// <summary>The container this host's bring-your-own ONNX uploads go to (the contract's <c>model-uploads</c>).</summary>
    public string ModelUploadsContainer => ProductPrefix + "-model-uploads";

    /// <summary>Assemblies whose public functions the host runs (besides the built-in ones).</summary>
    public IReadOnlyList<Assembly> FunctionAssemblies { get; init; } = [];

    /// <summary>Single classes whose functions the host runs (when a test wants only some).</summary>
    public IReadOnlyList<Type> FunctionClasses { get; init; } = [];

    /// <summary>More settings (highest priority), e.g. <c>%Setting%</c> values of triggers.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    public Action<IServiceCollection>? ConfigureServices { get; init; }

    /// <summary>Adds logging providers (for example one that captures the host's warnings for assertions).</summary>
    public Action<Microsoft.Extensions.Logging.ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>Adds endpoints or middleware after the host's own.</summary>
    public Action<WebApplication>? ConfigureApp { get; init; }
}
