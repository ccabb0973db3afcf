using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;

namespace Serverless.Hosting.Keys;

/// <summary>
/// Every stored key by hash, in memory, so that a request's key is looked up here and never in storage: any number
/// of wrong keys costs no memory (nothing is cached per wrong key) and no storage read. The index is read whole, in
/// one query, when first needed and again when older than <see cref="KeysOptions.CacheDuration"/> (one read at a
/// time, shared by concurrent lookups), so storage sees at most one read per cache duration however many keys
/// arrive. Its size is the number of stored keys. Keys created or revoked on this host apply at once
/// (<see cref="Invalidate"/>); on other hosts within the cache duration.
/// </summary>
public sealed class FunctionKeyIndex(FunctionKeyStore store, IOptions<KeysOptions> options, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>How many keys the index holds (the stored keys, never the wrong ones asked about).</summary>
    public int Count => _snapshot?.Keys.Count ?? 0;

    /// <summary>The stored key with this hash, or <c>null</c>.</summary>
    public async ValueTask<FunctionKey?> FindAsync(string hash, CancellationToken cancellationToken)
    {
        var snapshot = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Keys.GetValueOrDefault(hash);
    }

    /// <summary>Reads the keys again at the next lookup (after a key was created or revoked here).</summary>
    public void Invalidate() => _snapshot = null;

    public void Dispose() => _loading.Dispose();

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_snapshot) is { } current)
        {
            return current;
        }

        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(_snapshot) is { } loaded)
            {
                return loaded; // another lookup read it while this one waited
            }

            var started = time.GetUtcNow();
            var keys = await store.LoadByHashAsync(cancellationToken).ConfigureAwait(false);
            var snapshot = new Snapshot(keys, started + options.Value.CacheDuration);
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _loading.Release();
        }
    }

    private Snapshot? Fresh(Snapshot? snapshot) => snapshot is not null && snapshot.Expires > time.GetUtcNow() ? snapshot : null;

    private sealed record Snapshot(IReadOnlyDictionary<string, FunctionKey> Keys, DateTimeOffset Expires);
}
