using Serverless.Onnx;

namespace Serverless.Serving.Models;

/// <summary>
/// One loaded model version, reference counted: the cache holds one reference while the version is cached and every
/// <see cref="ModelLease"/> holds one; the session is disposed when the last reference goes.
/// </summary>
internal sealed class LoadedModel
{
    private int _references = 1;
    private int _admitted;
    private long _lastUsed;

    public LoadedModel(ResolvedModel version, OnnxModel model, long bytes)
    {
        Version = version;
        Model = model;
        Bytes = bytes;
        Touch();
    }

    public ResolvedModel Version { get; }

    public OnnxModel Model { get; }

    public long Bytes { get; }

    public long LastUsed => Volatile.Read(ref _lastUsed);

    public bool IsDisposed => Volatile.Read(ref _references) == 0;

    /// <summary>Takes a reference unless the session is already disposed.</summary>
    public bool TryAcquire()
    {
        while (true)
        {
            var current = Volatile.Read(ref _references);
            if (current == 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _references, current + 1, current) == current)
            {
                Touch();
                return true;
            }
        }
    }

    /// <summary>True for the one caller that first sees this version loaded (and so makes room for it).</summary>
    public bool Admit() => Interlocked.Exchange(ref _admitted, 1) == 0;

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            Model.Dispose();
        }
    }

    private void Touch() => Volatile.Write(ref _lastUsed, Environment.TickCount64);
}
