using Serverless.Onnx;

namespace Serverless.Serving.Models;

/// <summary>A model version in use by one request. Dispose it when the request is done with the model.</summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _loaded;

    internal ModelLease(LoadedModel loaded)
    {
        _loaded = loaded;
        Name = loaded.Version.Model;
        Version = loaded.Version.Version;
        Model = loaded.Model;
    }

    public string Name { get; }

    public int Version { get; }

    public OnnxModel Model { get; }

    public void Dispose() => Interlocked.Exchange(ref _loaded, null)?.Release();
}
