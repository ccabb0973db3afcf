using System.Reflection;

namespace Serverless.Functions.LocalHost;

/// <summary>How <see cref="LocalHostBuilder.CreateBuilder(string[], LocalHostOptions?)"/> composes the app.</summary>
public sealed record LocalHostOptions
{
    /// <summary>Settings that override every other source (tests use this for storage, keys and URLs).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>The folder with host.json; found by walking up from the working directory and the app when unset.</summary>
    public string? RootPath { get; init; }

    /// <summary>More assemblies whose functions the host runs (the Function App's are always included).</summary>
    public IReadOnlyList<Assembly> FunctionAssemblies { get; init; } = [];
}
