using System.Collections.Concurrent;
using Serverless.Onnx;
using Serverless.Registry;

namespace Serverless.Orchestrations.Scoring;

/// <summary>Model versions loaded once per host for the chunk activities (a version is immutable, so it never goes stale).</summary>
public sealed class ScoringModels(ModelRegistry registry) : IDisposable
{
    private readonly ConcurrentDictionary<(string Model, int Version), Lazy<Task<OnnxModel>>> _models = new();

    public async Task<OnnxModel> GetAsync(string model, int version, CancellationToken cancellationToken)
    {
        var lazy = _models.GetOrAdd((model, version), key => new Lazy<Task<OnnxModel>>(() => LoadAsync(key.Model, key.Version)));
        try
        {
            return await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (lazy.Value.IsFaulted)
        {
            _models.TryRemove(new KeyValuePair<(string, int), Lazy<Task<OnnxModel>>>((model, version), lazy));
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var lazy in _models.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }
    }

    private async Task<OnnxModel> LoadAsync(string model, int version)
    {
        var registered = await registry.GetVersionAsync(model, version, CancellationToken.None).ConfigureAwait(false);
        var bytes = await registry.LoadOnnxAsync(registered, CancellationToken.None).ConfigureAwait(false);
        return OnnxModel.Load(bytes);
    }
}
