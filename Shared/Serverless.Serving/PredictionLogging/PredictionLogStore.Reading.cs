using System.Text.Json;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

public sealed partial class PredictionLogStore
{
    /// <summary>Logged predictions of <paramref name="version"/> of <paramref name="model"/> in [from, to), newest hour first, at most <paramref name="maxRows"/>.</summary>
    public Task<IReadOnlyList<LoggedPrediction>> ReadPredictionsAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, CancellationToken cancellationToken) =>
        ReadAsync(_log, model, version, from, to, maxRows, feedback: false, cancellationToken);

    /// <summary>Predictions of <paramref name="version"/> of <paramref name="model"/> in [from, to) that received an actual label, newest hour first, at most <paramref name="maxRows"/>.</summary>
    public Task<IReadOnlyList<LoggedPrediction>> ReadFeedbackAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, CancellationToken cancellationToken) =>
        ReadAsync(_feedback, model, version, from, to, maxRows, feedback: true, cancellationToken);

    /// <summary>One query per hourly partition, newest first, until the window or the row limit ends.</summary>
    private async Task<IReadOnlyList<LoggedPrediction>> ReadAsync(string table, string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, bool feedback, CancellationToken cancellationToken)
    {
        await EnsureTablesAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<LoggedPrediction>();
        var filter = $"Version eq {version}";
        for (var hour = Hour(to); hour >= Hour(from) && rows.Count < maxRows; hour = hour.AddHours(-1))
        {
            var query = new TableQuery { PartitionKey = Partition(model, hour), Filter = filter };
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
