using System.Globalization;
using Microsoft.Extensions.Options;
using Serverless.Serving.Predictions;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// The owner of the prediction log's two tables (<see cref="PredictionLogOptions.TableName"/> and
/// <see cref="PredictionLogOptions.FeedbackTableName"/>): their names, their key layout, writing logged predictions and
/// feedback, reading them back for monitoring, and deleting them past retention. Nothing else touches these tables.
/// </summary>
/// <remarks>
/// Both tables have one partition per model and UTC hour (<c>{model}_{yyyyMMddHH}</c>, so a monitoring window is a few
/// partitions) and the prediction id as row key (the id carries its hour, so feedback finds its row with one point read).
/// </remarks>
public sealed partial class PredictionLogStore(ITableStore tables, IOptions<PredictionLogOptions> options) : IPredictionLogSink
{
    private const int MaxPropertyChars = 32_000;
    private const int MaxTransactionRows = 100;

    private readonly string _log = options.Value.TableName;
    private readonly string _feedback = options.Value.FeedbackTableName;
    private int _tablesReady;

    /// <summary>The partition of <paramref name="model"/>'s predictions made in the hour of <paramref name="time"/>.</summary>
    public static string Partition(string model, DateTimeOffset time) =>
        model + "_" + time.UtcDateTime.ToString("yyyyMMddHH", CultureInfo.InvariantCulture);

    /// <summary>The partition of a prediction id, or <c>null</c> when the text is not a prediction id.</summary>
    public static string? PartitionOf(string model, string id) =>
        PredictionId.TimeOf(id) is { } time ? Partition(model, time) : null;

    /// <summary>Writes a batch of logged predictions: one transaction per partition and 100 rows.</summary>
    public async Task WriteAsync(IReadOnlyList<PredictionLogEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        foreach (var partition in batch.GroupBy(entry => Partition(entry.Model, entry.Time)))
        {
            await UpsertAsync(_log, partition.Select(entry => ToEntity(partition.Key, entry)), cancellationToken).ConfigureAwait(false);
        }
    }

    internal static TableEntity ToEntity(string partition, PredictionLogEntry entry) => new(partition, entry.Id, new Dictionary<string, object?>
    {
        ["Model"] = entry.Model,
        ["Version"] = entry.Version,
        ["Time"] = entry.Time,
        ["Inputs"] = Clip(entry.Inputs),
        ["Output"] = Clip(entry.Output),
        ["Probabilities"] = entry.Probabilities is null ? null : Clip(entry.Probabilities),
        ["LatencyMs"] = entry.LatencyMs,
        ["CorrelationId"] = entry.CorrelationId,
        ["Shadow"] = entry.Shadow,
        ["PrimaryId"] = entry.PrimaryId,
        ["TraceId"] = entry.TraceId,
    });

    private static string Clip(string text) => text.Length <= MaxPropertyChars ? text : text[..MaxPropertyChars];

    /// <summary>Upserts rows of one partition, 100 per transaction.</summary>
    private async Task UpsertAsync(string table, IEnumerable<TableEntity> partition, CancellationToken cancellationToken)
    {
        foreach (var chunk in partition.Chunk(MaxTransactionRows))
        {
            await tables.SubmitTransactionAsync(table, chunk.Select(TableOperation.Upsert).ToList(), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureTablesAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tablesReady) == 1)
        {
            return;
        }

        await tables.CreateTableIfNotExistsAsync(_log, cancellationToken).ConfigureAwait(false);
        await tables.CreateTableIfNotExistsAsync(_feedback, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _tablesReady, 1);
    }
}
