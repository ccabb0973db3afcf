using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Serving.PredictionLogging;
using Serverless.Storage;

namespace Serverless.Functions.Monitoring;

/// <summary>
/// Reads a model's logged predictions and feedback over a window: one query per hourly partition
/// (<c>{model}_{yyyyMMddHH}</c>), newest hour first, up to a row limit.
/// </summary>
public sealed class PredictionLogReader(ITableStore tables, IOptions<PredictionLogOptions> options)
{
    /// <summary>Logged predictions of <paramref name="version"/> in [from, to).</summary>
    public Task<IReadOnlyList<LoggedPrediction>> ReadPredictionsAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, CancellationToken cancellationToken) =>
        ReadAsync(options.Value.TableName, model, version, from, to, maxRows, feedback: false, cancellationToken);

    /// <summary>Predictions of <paramref name="version"/> in [from, to) that received an actual label.</summary>
    public Task<IReadOnlyList<LoggedPrediction>> ReadFeedbackAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, CancellationToken cancellationToken) =>
        ReadAsync(options.Value.FeedbackTableName, model, version, from, to, maxRows, feedback: true, cancellationToken);

    private async Task<IReadOnlyList<LoggedPrediction>> ReadAsync(string table, string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, bool feedback, CancellationToken cancellationToken)
    {
        await tables.CreateTableIfNotExistsAsync(table, cancellationToken).ConfigureAwait(false);
        var rows = new List<LoggedPrediction>();
        var filter = $"Version eq {version}";
        for (var hour = Hour(to); hour >= Hour(from) && rows.Count < maxRows; hour = hour.AddHours(-1))
        {
            var query = new TableQuery { PartitionKey = PredictionLogKeys.Partition(model, hour), Filter = filter };
            await foreach (var row in tables.QueryAsync(table, query, cancellationToken).ConfigureAwait(false))
            {
                var time = row.GetDateTimeOffset(feedback ? "PredictedAt" : "Time") ?? hour;
                if (time < from || time >= to)
                {
                    continue;
                }

                // A row whose inputs were clipped by the log (over 32k characters) is not JSON any more: skipped.
                if (ParseInputs(row.GetString("Inputs")) is not { } inputs)
                {
                    continue;
                }

                var output = row.GetString(feedback ? "Predicted" : "Output") ?? string.Empty;
                rows.Add(new LoggedPrediction(row.RowKey, version, time, inputs, output, feedback ? row.GetString("Actual") : null));
                if (rows.Count == maxRows)
                {
                    break;
                }
            }
        }

        return rows;
    }

    private static DateTimeOffset Hour(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }

    private static JsonElement? ParseInputs(string? json)
    {
        try
        {
            using var document = JsonDocument.Parse(json ?? "{}");
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
