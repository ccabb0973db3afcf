using System.Text.Json;
using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

public sealed partial class PredictionLogStore
{
    /// <summary>Logged predictions of <paramref name="version"/> of <paramref name="model"/> in [from, to), newest hour first, at most <paramref name="maxRows"/>.</summary>
    public async Task<IReadOnlyList<LoggedPrediction>> ReadPredictionsAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, CancellationToken cancellationToken)
    {
        var rows = new List<LoggedPrediction>();
        for (var hour = PredictionLogSegments.Hour(to); hour >= PredictionLogSegments.Hour(from) && rows.Count < maxRows; hour = hour.AddHours(-1))
        {
            await foreach (var segment in blobs.ListAsync(_container, PredictionLogSegments.VersionPrefix(model, hour, version), cancellationToken).ConfigureAwait(false))
            {
                foreach (var entry in await ReadSegmentAsync(segment.Name, cancellationToken).ConfigureAwait(false))
                {
                    if (entry.Version != version || entry.Time < from || entry.Time >= to || ParseInputs(entry.Inputs) is not { } inputs)
                    {
                        continue;
                    }

                    rows.Add(new LoggedPrediction(entry.Id, version, entry.Time, inputs, entry.Output));
                    if (rows.Count == maxRows)
                    {
                        return rows;
                    }
                }
            }
        }

        return rows;
    }

    /// <summary>Predictions of <paramref name="version"/> of <paramref name="model"/> in [from, to) that received an actual label, newest hour first, at most <paramref name="maxRows"/>.</summary>
    public async Task<IReadOnlyList<LoggedPrediction>> ReadFeedbackAsync(string model, int version, DateTimeOffset from, DateTimeOffset to, int maxRows, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<LoggedPrediction>();
        var filter = $"Version eq {version}";
        for (var hour = PredictionLogSegments.Hour(to); hour >= PredictionLogSegments.Hour(from) && rows.Count < maxRows; hour = hour.AddHours(-1))
        {
            var query = new TableQuery { PartitionKey = Partition(model, hour), Filter = filter };
            await foreach (var row in tables.QueryAsync(_feedback, query, cancellationToken).ConfigureAwait(false))
            {
                var time = row.GetDateTimeOffset("PredictedAt") ?? hour;
                if (time < from || time >= to || ParseInputs(row.GetString("Inputs")) is not { } inputs)
                {
                    continue; // out of the window, or inputs clipped by the table (over 32k characters)
                }

                rows.Add(new LoggedPrediction(row.RowKey, version, time, inputs, row.GetString("Predicted") ?? string.Empty, row.GetString("Actual")));
                if (rows.Count == maxRows)
                {
                    return rows;
                }
            }
        }

        return rows;
    }

    /// <summary>Every logged entry of <paramref name="model"/> in the hour of <paramref name="time"/> (all versions, shadows included), segment by segment.</summary>
    public async Task<IReadOnlyList<PredictionLogEntry>> ReadHourAsync(string model, DateTimeOffset time, CancellationToken cancellationToken)
    {
        var entries = new List<PredictionLogEntry>();
        await foreach (var segment in blobs.ListAsync(_container, PredictionLogSegments.HourPrefix(model, time), cancellationToken).ConfigureAwait(false))
        {
            entries.AddRange(await ReadSegmentAsync(segment.Name, cancellationToken).ConfigureAwait(false));
        }

        return entries;
    }

    /// <summary>The entries of one segment, in the order they were appended (malformed lines skipped).</summary>
    private async Task<List<PredictionLogEntry>> ReadSegmentAsync(string name, CancellationToken cancellationToken)
    {
        var entries = new List<PredictionLogEntry>();
        Stream stream;
        try
        {
            stream = await blobs.OpenReadAsync(_container, name, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageNotFoundException)
        {
            return entries; // deleted by retention since it was listed
        }

        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (PredictionLogLine.Parse(line) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        return entries;
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
