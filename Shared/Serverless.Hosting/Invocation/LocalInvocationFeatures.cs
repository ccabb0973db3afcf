using System.Collections;
using System.Collections.Concurrent;

namespace Serverless.Hosting.Invocation;

/// <summary>The features of one local invocation (a type-keyed bag, as the worker's own).</summary>
internal sealed class LocalInvocationFeatures : IInvocationFeatures
{
    private readonly ConcurrentDictionary<Type, object> _features = new();

    public T Get<T>() => _features.TryGetValue(typeof(T), out var feature) ? (T)feature : default!;

    public void Set<T>(T instance)
    {
        if (instance is null)
        {
            _features.TryRemove(typeof(T), out _);
        }
        else
        {
            _features[typeof(T)] = instance;
        }
    }

    public IEnumerator<KeyValuePair<Type, object>> GetEnumerator() => _features.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
