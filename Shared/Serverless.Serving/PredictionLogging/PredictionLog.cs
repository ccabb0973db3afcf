using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// The prediction log, off the request path: <see cref="TryRecord"/> serializes a scoring call's rows to their JSON
/// Lines right away into reused chunk buffers (<see cref="PredictionLogBuffer"/>) and never waits for storage; a
/// background writer sends batches of chunks (every <see cref="PredictionLogOptions.BatchSize"/> entries or
/// <see cref="PredictionLogOptions.FlushInterval"/>) to the <see cref="IPredictionLogSink"/>; stopping appends what is
/// buffered. Serializing at once means no request's frame, predictions or ids stay alive until the flush (kept for up to
/// a second they survived gen 0 and were promoted, which made every collection costlier). A request wakes the writer only
/// when it fills a batch, never per prediction (a wake-up per request was a
/// thread-pool dispatch and a lock shared with the writer on every predict). When the buffer holds
/// <see cref="PredictionLogOptions.Capacity"/> entries, what does not fit is dropped and counted
/// (<c>serverless.predictions.log.dropped</c>).
/// </summary>
public sealed partial class PredictionLog : BackgroundService
{
    public const string MeterName = "Serverless.Serving";
    public const string DroppedCounterName = "serverless.predictions.log.dropped";

    private readonly PredictionLogBuffer _lines;
    private readonly SemaphoreSlim _batchReady = new(0);
    private readonly IPredictionLogSink _sink;
    private readonly PredictionLogOptions _options;
    private readonly ILogger<PredictionLog> _logger;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _written;
    private long _droppedCount;
    private long _writtenCount;
    private long _buffered;
    private long _queued;

    public PredictionLog(IPredictionLogSink sink, IOptions<PredictionLogOptions> options, IMeterFactory meters, ILogger<PredictionLog> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _sink = sink;
        _options = options.Value;
        _lines = new PredictionLogBuffer(Math.Max(1, _options.BatchSize));
        _logger = logger;
        var meter = meters.Create(MeterName);
        _dropped = meter.CreateCounter<long>(DroppedCounterName, "{prediction}", "Predictions not logged because the log buffer was full.");
        _written = meter.CreateCounter<long>("serverless.predictions.log.written", "{prediction}", "Predictions written to the prediction log.");
    }

    /// <summary>Predictions dropped since start because the buffer was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedCount);

    /// <summary>Predictions buffered and not yet written: what a crash now would lose (never above the capacity).</summary>
    public long BufferedCount => Interlocked.Read(ref _buffered);

    /// <summary>Predictions written to the sink since start.</summary>
    public long WrittenCount => Interlocked.Read(ref _writtenCount);

    /// <summary>Whether this prediction is to be logged (the sampling decision).</summary>
    public bool ShouldSample() => _options.SamplingRate >= 1 || (_options.SamplingRate > 0 && Random.Shared.NextDouble() < _options.SamplingRate);

    /// <summary>
    /// The sampling decision for the <paramref name="rows"/> rows of one scoring call: false when none is to be logged;
    /// else <paramref name="sampled"/> lists the rows to log (<c>null</c>: all of them).
    /// </summary>
    internal bool TrySample(int rows, out int[]? sampled)
    {
        sampled = null;
        if (_options.SamplingRate >= 1)
        {
            return rows > 0;
        }

        sampled = Enumerable.Range(0, rows).Where(_ => ShouldSample()).ToArray();
        return sampled.Length > 0;
    }

    /// <summary>Buffers the rows of one scoring call for writing, serialized now; never waits for storage.</summary>
    internal bool TryRecord(ScoredRows rows)
    {
        ArgumentNullException.ThrowIfNull(rows);

        // Take as many entries as fit in the buffer (a large scoring call is logged in part rather than not at all).
        var count = rows.Count;
        int taken;
        while (true)
        {
            var buffered = Volatile.Read(ref _buffered);
            taken = (int)Math.Clamp(_options.Capacity - buffered, 0, count);
            if (taken == 0 || Interlocked.CompareExchange(ref _buffered, buffered + taken, buffered) == buffered)
            {
                break;
            }
        }

        var logged = 0;
        if (taken > 0)
        {
            logged = rows.WriteLines(taken, _lines);
            if (logged < taken)
            {
                Interlocked.Add(ref _buffered, logged - taken); // rows that could not be serialized hold no place
            }

            var queued = Interlocked.Add(ref _queued, logged);
            if (queued >= _options.BatchSize && queued - logged < _options.BatchSize)
            {
                _batchReady.Release(); // this call filled a batch: wake the writer now rather than at the interval
            }
        }

        if (logged < count)
        {
            Interlocked.Add(ref _droppedCount, count - logged);
            _dropped.Add(count - logged);
        }

        return logged == count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PredictionLogChunk>();

        // Writes get ShutdownFlushTimeout past the stop signal, so a clean shutdown lands the batch in flight too.
        using var writes = new CancellationTokenSource();
        using var stopping = stoppingToken.Register(() => writes.CancelAfter(_options.ShutdownFlushTimeout));
        try
        {
            while (true)
            {
                // Every flush interval, or sooner when requests filled a batch: write what is buffered (one batch), then
                // more only while full batches are waiting.
                await _batchReady.WaitAsync(_options.FlushInterval, stoppingToken).ConfigureAwait(false);
                await DrainAsync(batch, everything: false, writes.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // Clean shutdown: append everything still buffered, batch by batch, until the flush timeout.
        await DrainAsync(batch, everything: true, writes.Token).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        _batchReady.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// Writes what is queued, in batches of at most <see cref="PredictionLogOptions.BatchSize"/>: one batch, then more
    /// while a full batch is waiting; with <paramref name="everything"/> (shutdown), until nothing is left. Writing
    /// again whatever arrived during the last append instead turned a steady load into back-to-back small appends (each
    /// a storage request, each a block of the segment's 50,000) rather than one per batch or interval.
    /// </summary>
    private async Task DrainAsync(List<PredictionLogChunk> batch, bool everything, CancellationToken writes)
    {
        var first = true;
        while (!writes.IsCancellationRequested && (first || everything || Volatile.Read(ref _queued) >= _options.BatchSize))
        {
            first = false;
            var lines = _lines.Take(_options.BatchSize, batch);
            if (lines == 0)
            {
                return;
            }

            Interlocked.Add(ref _queued, -lines);
            await WriteAsync(batch, lines, writes).ConfigureAwait(false);
        }
    }

    private async Task WriteAsync(List<PredictionLogChunk> batch, int lines, CancellationToken cancellationToken)
    {
        try
        {
            await _sink.WriteAsync(new PredictionLogBatch(batch), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _writtenCount, lines);
            _written.Add(lines);
        }
#pragma warning disable CA1031 // A failed write loses that batch of log entries; it must never stop the writer.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogWriteFailed(e, lines);
        }
        finally
        {
            // Entries leave the buffer count only once written (or lost): the capacity bounds all that a crash loses.
            Interlocked.Add(ref _buffered, -lines);
            _lines.Return(batch);
            batch.Clear();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} prediction log entries; they are lost")]
    private partial void LogWriteFailed(Exception exception, int count);
}
