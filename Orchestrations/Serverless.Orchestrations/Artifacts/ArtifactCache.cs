namespace Serverless.Orchestrations.Artifacts;

/// <summary>
/// The few most recently used values derived from immutable artifacts, by path, in this process: a value can never be
/// stale, and concurrent readers of one path share one load. A faulted or cancelled load is not kept.
/// </summary>
internal sealed class ArtifactCache<T>(int capacity)
{
    private readonly LinkedList<(string Path, Task<T> Value)> _entries = new();
    private readonly Lock _gate = new();

    public Task<T> GetOrLoad(string path, Func<Task<T>> load)
    {
        lock (_gate)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Path == path && !node.Value.Value.IsFaulted && !node.Value.Value.IsCanceled)
                {
                    _entries.Remove(node);
                    _entries.AddFirst(node);
                    return node.Value.Value;
                }
            }
        }

        var loading = load();
        Remember(path, loading);
        return loading;
    }

    public void Remember(string path, Task<T> value)
    {
        lock (_gate)
        {
            for (var node = _entries.First; node is not null; node = node.Next)
            {
                if (node.Value.Path == path)
                {
                    _entries.Remove(node);
                    break;
                }
            }

            _entries.AddFirst((path, value));
            while (_entries.Count > capacity)
            {
                _entries.RemoveLast();
            }
        }
    }
}
