using System.Collections.Concurrent;
using Serverless.Serving.Models;

namespace Serverless.Serving.Tests.Infrastructure;

/// <summary>A model registry in memory: versions, aliases that can be flipped, and a count of loads.</summary>
public sealed class InMemoryModelSource : IModelSource
{
    private readonly ConcurrentDictionary<(string Model, int Version), byte[]> _versions = new();
    private readonly ConcurrentDictionary<(string Model, string Alias), int> _aliases = new();
    private int _loads;

    public int Loads => Volatile.Read(ref _loads);

    public TimeSpan LoadDelay { get; set; }

    public InMemoryModelSource Add(string model, int version, byte[] onnx, string? alias = null)
    {
        _versions[(model, version)] = onnx;
        if (alias is not null)
        {
            SetAlias(model, alias, version);
        }

        return this;
    }

    public void SetAlias(string model, string alias, int version) => _aliases[(model, alias)] = version;

    public Task<ResolvedModel> ResolveAsync(string model, string? alias, int? version, CancellationToken cancellationToken)
    {
        if (version is { } v)
        {
            return _versions.ContainsKey((model, v))
                ? Task.FromResult(new ResolvedModel(model, v))
                : throw new ModelNotFoundException($"Model '{model}' has no version {v}.");
        }

        return _aliases.TryGetValue((model, alias ?? "production"), out var aliased)
            ? Task.FromResult(new ResolvedModel(model, aliased))
            : throw new ModelNotFoundException($"Model '{model}' has no alias '{alias}'.");
    }

    public async Task<byte[]> LoadOnnxAsync(string model, int version, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _loads);
        if (LoadDelay > TimeSpan.Zero)
        {
            await Task.Delay(LoadDelay, cancellationToken);
        }

        return _versions.TryGetValue((model, version), out var bytes) ? bytes : throw new ModelNotFoundException($"Model '{model}' has no version {version}.");
    }
}
