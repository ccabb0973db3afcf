using Microsoft.Extensions.Options;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

/// <summary>Writes prediction log batches to Table storage: one transaction per partition and 100 rows.</summary>
public sealed class TablePredictionLogSink(ITableStore tables, IOptions<PredictionLogOptions> options) : IPredictionLogSink
{
    private const int MaxPropertyChars = 32_000;

    private readonly string _table = options.Value.TableName;
    private int _tableReady;

    public async Task WriteAsync(IReadOnlyList<PredictionLogEntry> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Volatile.Read(ref _tableReady) == 0)
        {
            await tables.CreateTableIfNotExistsAsync(_table, cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _tableReady, 1);
        }

        foreach (var partition in batch.GroupBy(entry => PredictionLogKeys.Partition(entry.Model, entry.Time)))
        {
            foreach (var chunk in partition.Chunk(100))
            {
                var operations = chunk.Select(entry => TableOperation.Upsert(ToEntity(partition.Key, entry))).ToList();
                await tables.SubmitTransactionAsync(_table, operations, cancellationToken).ConfigureAwait(false);
            }
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
}
