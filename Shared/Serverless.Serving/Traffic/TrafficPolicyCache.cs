using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Serverless.Serving.Models;

namespace Serverless.Serving.Traffic;

/// <summary>
/// Policies reused for <see cref="ModelCacheOptions.AliasTtl"/> (like alias resolutions), so a change reaches every
/// host within that time while a request costs no storage read. A failed read is not cached.
/// </summary>
public sealed class TrafficPolicyCache(ITrafficPolicySource source, IOptions<ModelCacheOptions> options)
{
    private readonly TimeSpan _ttl = options.Value.AliasTtl;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<TrafficPolicy?> GetAsync(string model, CancellationToken cancellationToken)
    {
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(model, out var cached) && cached.ExpiresAt > now && !cached.Task.IsFaulted && !cached.Task.IsCanceled)
        {
            return await cached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var fresh = new Entry(source.GetAsync(model, CancellationToken.None), now + (long)_ttl.TotalMilliseconds);
        _entries[model] = fresh;
        try
        {
            return await fresh.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (fresh.Task.IsFaulted)
        {
            _entries.TryRemove(new KeyValuePair<string, Entry>(model, fresh));
            throw;
        }
    }

    /// <summary>Forgets a model's policy on this host (after a change made here).</summary>
    public void Forget(string model) => _entries.TryRemove(model, out _);

    private sealed record Entry(Task<TrafficPolicy?> Task, long ExpiresAt);
}
