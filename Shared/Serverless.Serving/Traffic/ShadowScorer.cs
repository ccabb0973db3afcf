using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Serverless.Domain.Datasets;
using Serverless.Serving.Models;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;

namespace Serverless.Serving.Traffic;

/// <summary>
/// Scores mirrored rows with shadow versions off the request path: <see cref="TryMirror"/> never blocks (a full buffer
/// drops the work and counts it), and a shadow that fails to load or score is logged and counted, never seen by the
/// caller. Shadow predictions go to the prediction log marked <see cref="PredictionLogEntry.Shadow"/>, with the id of
/// the production prediction they mirror.
/// </summary>
public sealed partial class ShadowScorer : BackgroundService
{
    public const string FailedCounterName = "serverless.predictions.shadow.failed";
    private const int Capacity = 1024;

    private readonly Channel<ShadowRequest> _channel = Channel.CreateBounded<ShadowRequest>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
    });

    private readonly ModelCache _cache;
    private readonly PredictionLog _log;
    private readonly TimeProvider _time;
    private readonly ILogger<ShadowScorer> _logger;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _dropped;

    public ShadowScorer(ModelCache cache, PredictionLog log, TimeProvider time, IMeterFactory meters, ILogger<ShadowScorer> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _cache = cache;
        _log = log;
        _time = time;
        _logger = logger;
        var meter = meters.Create(PredictionLog.MeterName);
        _failed = meter.CreateCounter<long>(FailedCounterName, "{request}", "Mirrored requests a shadow version failed to score.");
        _dropped = meter.CreateCounter<long>("serverless.predictions.shadow.dropped", "{request}", "Mirrored requests dropped because the shadow buffer was full.");
    }

    /// <summary>Queues rows for the shadow version; never blocks, never throws for the shadow's sake.</summary>
    public bool TryMirror(string model, int shadowVersion, TabularFrame frame, IReadOnlyList<string> primaryIds, string? correlationId)
    {
        if (_channel.Writer.TryWrite(new ShadowRequest(model, shadowVersion, frame, primaryIds, correlationId)
        {
            TraceId = Activity.Current is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null,
        }))
        {
            return true;
        }

        _dropped.Add(1);
        return false;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in _channel.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                await ScoreAsync(request, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task ScoreAsync(ShadowRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            using var lease = await _cache.AcquireAsync(request.Model, null, request.ShadowVersion, cancellationToken).ConfigureAwait(false);
            var predictions = lease.Model.Score(request.Frame);
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var now = _time.GetUtcNow();
            var ids = new string[request.PrimaryIds.Count];
            PredictionId.Fill(now, ids, 0);

            // Every mirrored row is logged (the comparison needs them all), whatever the sampling rate.
            _log.TryRecord(new ScoredRows(request.Model, lease.Version, now, request.Frame, predictions, ids, latency, request.CorrelationId, request.TraceId, sampledRows: null)
            {
                PrimaryIds = request.PrimaryIds,
            });
        }
#pragma warning disable CA1031 // Whatever the shadow does wrong is logged and counted; it never reaches the caller.
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
#pragma warning restore CA1031
        {
            _failed.Add(1);
            LogShadowFailed(e, request.Model, request.ShadowVersion);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shadow version {Version} of model {Model} failed to score mirrored rows")]
    private partial void LogShadowFailed(Exception exception, string model, int version);
}
