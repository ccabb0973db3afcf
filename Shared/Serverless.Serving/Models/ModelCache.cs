using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Serverless.Onnx;
using Serverless.Serving.Telemetry;

namespace Serverless.Serving.Models;

/// <summary>
/// Loaded model versions shared by all requests: each (model, version) is loaded once even when many first requests
/// arrive together; the least recently used versions are evicted beyond <see cref="ModelCacheOptions.MaxModels"/> or
/// <see cref="ModelCacheOptions.MaxBytes"/>, and an evicted session is disposed only after its last in-flight request.
/// Alias resolutions are reused for <see cref="ModelCacheOptions.AliasTtl"/>, so a promotion is served within that time,
/// without restart and without failing a request (the old version serves until its requests end).
/// </summary>
public sealed partial class ModelCache : IDisposable
{
    private readonly IModelSource _source;
    private readonly ModelCacheOptions _options;
    private readonly OnnxModelOptions _onnxOptions;
    private readonly ILogger<ModelCache> _logger;
    private readonly ServingTelemetry? _telemetry;
    private readonly ConcurrentDictionary<ResolvedModel, Lazy<Task<LoadedModel>>> _models = new();
    private readonly ConcurrentDictionary<ResolutionKey, Resolution> _resolutions = new();
    private readonly Lock _evictionGate = new();

    public ModelCache(
        IModelSource source, IOptions<ModelCacheOptions> options, ILogger<ModelCache> logger, OnnxModelOptions? onnxOptions = null, ServingTelemetry? telemetry = null)
    {
        _telemetry = telemetry;
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _options = options.Value;
        _logger = logger;
        _onnxOptions = onnxOptions ?? new OnnxModelOptions();
    }

    /// <summary>How many versions are loaded now.</summary>
    public int Count => _models.Values.Count(IsLoaded);

    /// <summary>The version to serve (by <paramref name="version"/>, else <paramref name="alias"/>), loaded and leased to the caller.</summary>
    /// <exception cref="ModelNotFoundException">No such model, alias or version.</exception>
    public async Task<ModelLease> AcquireAsync(string model, string? alias, int? version, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(model, alias, version, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var loaded = await GetOrLoadAsync(resolved, cancellationToken).ConfigureAwait(false);
            if (loaded.TryAcquire())
            {
                return new ModelLease(loaded);
            }
        }
    }

    /// <summary>Loads a version ahead of its first request (on promotion).</summary>
    public async Task WarmAsync(string model, int version, CancellationToken cancellationToken) =>
        await GetOrLoadAsync(new ResolvedModel(model, version), cancellationToken).ConfigureAwait(false);

    /// <summary>Forgets the cached alias resolutions of a model, so the next request asks the source again.</summary>
    public void ForgetAliases(string model)
    {
        foreach (var key in _resolutions.Keys.Where(k => string.Equals(k.Model, model, StringComparison.Ordinal)))
        {
            _resolutions.TryRemove(key, out _);
        }
    }

    public void Dispose()
    {
        foreach (var (key, lazy) in _models)
        {
            if (_models.TryRemove(new KeyValuePair<ResolvedModel, Lazy<Task<LoadedModel>>>(key, lazy)) && IsLoaded(lazy))
            {
                lazy.Value.Result.Release();
            }
        }
    }

    private async Task<ResolvedModel> ResolveAsync(string model, string? alias, int? version, CancellationToken cancellationToken)
    {
        var key = new ResolutionKey(model, version is null ? alias : null, version);
        var now = Environment.TickCount64;
        if (_resolutions.TryGetValue(key, out var cached) && cached.ExpiresAt > now && !cached.Task.IsFaulted && !cached.Task.IsCanceled)
        {
            return await cached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        var fresh = new Resolution(_source.ResolveAsync(model, key.Alias, version, CancellationToken.None), now + (long)_options.AliasTtl.TotalMilliseconds);
        _resolutions[key] = fresh;
        try
        {
            return await fresh.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch when (fresh.Task.IsFaulted)
        {
            _resolutions.TryRemove(new KeyValuePair<ResolutionKey, Resolution>(key, fresh));
            throw;
        }
    }

    private async Task<LoadedModel> GetOrLoadAsync(ResolvedModel version, CancellationToken cancellationToken)
    {
        var lazy = _models.GetOrAdd(version, v => new Lazy<Task<LoadedModel>>(() => LoadAsync(v), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            var loaded = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (loaded.Admit())
            {
                Evict(version);
            }

            return loaded;
        }
        catch when (lazy.Value.IsFaulted)
        {
            _models.TryRemove(new KeyValuePair<ResolvedModel, Lazy<Task<LoadedModel>>>(version, lazy));
            throw;
        }
    }

    private async Task<LoadedModel> LoadAsync(ResolvedModel version)
    {
        var started = Stopwatch.GetTimestamp();
        var bytes = await _source.LoadOnnxAsync(version.Model, version.Version, CancellationToken.None).ConfigureAwait(false);
        var model = await Task.Run(() => OnnxModel.Load(bytes, _onnxOptions)).ConfigureAwait(false);
        var loaded = new LoadedModel(version, model, bytes.LongLength);
        var elapsed = Stopwatch.GetElapsedTime(started);
        _telemetry?.RecordModelLoad(version.Model, version.Version, elapsed);
        LogLoaded(version.Model, version.Version, bytes.LongLength, (long)elapsed.TotalMilliseconds);
        return loaded;
    }

    private void Evict(ResolvedModel keep)
    {
        lock (_evictionGate)
        {
            while (true)
            {
                var loaded = _models
                    .Where(pair => IsLoaded(pair.Value))
                    .Select(pair => (pair.Key, Lazy: pair.Value, Model: pair.Value.Value.Result))
                    .ToList();
                var bytes = loaded.Sum(entry => entry.Model.Bytes);
                if (loaded.Count <= 1 || (loaded.Count <= _options.MaxModels && bytes <= _options.MaxBytes))
                {
                    return;
                }

                var victim = loaded.Where(entry => entry.Key != keep).MinBy(entry => entry.Model.LastUsed);
                if (victim.Lazy is null)
                {
                    return;
                }

                if (_models.TryRemove(new KeyValuePair<ResolvedModel, Lazy<Task<LoadedModel>>>(victim.Key, victim.Lazy)))
                {
                    LogEvicted(victim.Key.Model, victim.Key.Version);
                    victim.Model.Release();
                }
            }
        }
    }

    private static bool IsLoaded(Lazy<Task<LoadedModel>> lazy) => lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully;

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded model {Model} version {Version} ({Bytes} bytes) in {Milliseconds} ms")]
    private partial void LogLoaded(string model, int version, long bytes, long milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Evicted model {Model} version {Version} from the cache")]
    private partial void LogEvicted(string model, int version);

    private readonly record struct ResolutionKey(string Model, string? Alias, int? Version);

    private sealed record Resolution(Task<ResolvedModel> Task, long ExpiresAt);
}
