using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Serving.Predictions;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// The owner of the prediction log: its segments in <see cref="PredictionLogOptions.Container"/> (append blobs of JSON
/// Lines, named by <see cref="PredictionLogSegments"/>) and the feedback table
/// (<see cref="PredictionLogOptions.FeedbackTableName"/>): writing, reading back for monitoring, joining feedback by
/// prediction id, and deleting past retention. Nothing else touches them.
/// </summary>
/// <remarks>
/// A batch becomes one append per segment it touches (split in blocks of at most 4 MiB, each ending at a line end), so
/// the cost per prediction is a line of JSON, not a storage entity. The feedback table has one partition per model and
/// UTC hour (<c>{model}_{yyyyMMddHH}</c>) and the prediction id as row key.
/// </remarks>
public sealed partial class PredictionLogStore(IBlobStore blobs, ITableStore tables, IOptions<PredictionLogOptions> options) : IPredictionLogSink
{
    /// <summary>The most one append carries (the append blob block limit).</summary>
    internal const int MaxBlockBytes = 4 * 1024 * 1024;
    private const int MaxPropertyChars = 32_000;
    private const int MaxTransactionRows = 100;

    private readonly string _container = options.Value.Container;
    private readonly string _feedback = options.Value.FeedbackTableName;
    private readonly string _writer = PredictionLogSegments.WriterId(options.Value.WriterId);
    private readonly ConcurrentDictionary<string, int> _rolls = new(StringComparer.Ordinal);
    private ArrayBufferWriter<byte>? _spareBlock;
    private int _containerReady;
    private int _tableReady;

    /// <summary>The feedback table partition of <paramref name="model"/>'s predictions made in the hour of <paramref name="time"/>.</summary>
    public static string Partition(string model, DateTimeOffset time) =>
        model + "_" + time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>The feedback partition of a prediction id, or <c>null</c> when the text is not a prediction id.</summary>
    public static string? PartitionOf(string model, string id) =>
        PredictionId.TimeOf(id) is { } time ? Partition(model, time) : null;

    /// <summary>Appends logged predictions to their segments (one append per segment and 4 MiB).</summary>
    public Task WriteAsync(IReadOnlyList<PredictionLogEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var lines = new PredictionLogBuffer(int.MaxValue);
        foreach (var entry in entries)
        {
            var json = PredictionLogLine.Begin();
            PredictionLogLine.Write(json, entry);
            lines.Append(new PredictionLogSegmentKey(entry.Model, entry.Version, PredictionLogSegments.Hour(entry.Time)), PredictionLogLine.End());
        }

        var chunks = new List<PredictionLogChunk>();
        lines.Take(int.MaxValue, chunks);
        return WriteAsync(new PredictionLogBatch(chunks), cancellationToken);
    }

    /// <summary>Appends a batch of the log's serialized lines to their segments (one append per segment and 4 MiB).</summary>
    public async Task WriteAsync(PredictionLogBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);

        // The block buffer is kept for the next batch: grown anew per batch it allocated about twice the batch's bytes
        // on the large object heap every flush (a gen 2 collection's worth at a few thousand predictions a second).
        var block = Interlocked.Exchange(ref _spareBlock, null) ?? new ArrayBufferWriter<byte>(64 * 1024);
        block.ResetWrittenCount();
        try
        {
            foreach (var segment in batch.Chunks.GroupBy(chunk => chunk.Segment))
            {
                foreach (var chunk in segment)
                {
                    if (chunk.Lines.Length > MaxBlockBytes)
                    {
                        continue; // a single prediction over 4 MiB cannot be appended; it is not logged
                    }

                    if (block.WrittenCount + chunk.Lines.Length > MaxBlockBytes)
                    {
                        await AppendAsync(segment.Key, block.WrittenMemory, cancellationToken).ConfigureAwait(false);
                        block.ResetWrittenCount();
                    }

                    block.Write(chunk.Lines.Span);
                }

                if (block.WrittenCount > 0)
                {
                    await AppendAsync(segment.Key, block.WrittenMemory, cancellationToken).ConfigureAwait(false);
                    block.ResetWrittenCount();
                }
            }
        }
        finally
        {
            block.ResetWrittenCount();
            _spareBlock = block;
        }
    }

    /// <summary>Appends to this writer's segment, continuing in the next one when it is full (or not an append blob).</summary>
    private async Task AppendAsync(PredictionLogSegmentKey segment, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        var key = PredictionLogSegments.Name(segment.Model, segment.Hour, segment.Version, _writer, 0);
        for (var attempt = 0; ; attempt++)
        {
            var roll = _rolls.GetValueOrDefault(key);
            try
            {
                await blobs.AppendAsync(_container, PredictionLogSegments.Name(segment.Model, segment.Hour, segment.Version, _writer, roll), block, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (StorageConflictException) when (attempt < 3)
            {
                _rolls.AddOrUpdate(key, 1, (_, current) => Math.Max(current, roll + 1));
            }
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady) == 0)
        {
            await blobs.CreateContainerIfNotExistsAsync(_container, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _containerReady, 1);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tableReady) == 0)
        {
            await tables.CreateTableIfNotExistsAsync(_feedback, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _tableReady, 1);
        }
    }

    private static string Clip(string text) => text.Length <= MaxPropertyChars ? text : text[..MaxPropertyChars];
}
