using System.Globalization;
using System.Text.Json;
using Serverless.Data.Reading;
using Serverless.Domain.Models;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Turns labelled feedback into training rows of a dataset: each row takes the model's logged inputs for the dataset's
/// input columns and the actual value for the label column; the dataset's other columns stay missing. A row whose
/// inputs lack a column, hold a value the column cannot take, or whose actual value does not fit the label (not a
/// number for regression, not a known class for classification) is left out and counted under its reason.
/// </summary>
public static class FeedbackMerge
{
    /// <summary>The base rows followed by the feedback rows that fit.</summary>
    public static FeedbackMergeResult Append(RawDataset dataset, ModelSignature signature, IReadOnlyList<LoggedPrediction> feedback)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(feedback);
        var skipped = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var label = dataset.Columns.FirstOrDefault(c => c.Name == signature.Label);
        if (label is null)
        {
            skipped[$"label column '{signature.Label}' is not in the dataset"] = feedback.Count;
            return new FeedbackMergeResult(dataset.Columns, dataset.RowCount, 0, skipped, null, null);
        }

        var inputs = signature.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var labelFit = new LabelFit(label, signature.Task);
        var appended = dataset.Columns.Select(_ => new List<object?>()).ToList();
        var row = new object?[dataset.Columns.Count];
        DateTimeOffset? from = null, to = null;
        foreach (var prediction in feedback)
        {
            var problem = labelFit.Check(prediction.Actual, out var actual);
            for (var c = 0; problem is null && c < dataset.Columns.Count; c++)
            {
                var column = dataset.Columns[c];
                row[c] = column == label ? actual
                    : inputs.Contains(column.Name) ? Input(column, prediction.Inputs, out problem)
                    : null;
            }

            if (problem is not null)
            {
                skipped[problem] = skipped.GetValueOrDefault(problem) + 1;
                continue;
            }

            for (var c = 0; c < row.Length; c++)
            {
                appended[c].Add(row[c]);
            }

            from = from is null || prediction.Time < from ? prediction.Time : from;
            to = to is null || prediction.Time > to ? prediction.Time : to;
        }

        var columns = dataset.Columns.Select((column, c) => Concat(column, appended[c])).ToList();
        return new FeedbackMergeResult(columns, dataset.RowCount, appended[0].Count, skipped, from, to);
    }

    /// <summary>The logged value of an input column as the column holds it (double or string; null = missing), or the problem.</summary>
    private static object? Input(RawColumn column, JsonElement inputs, out string? problem)
    {
        problem = null;
        if (!inputs.TryGetProperty(column.Name, out var value))
        {
            problem = $"input '{column.Name}' missing from the logged inputs";
            return null;
        }

        if (value.ValueKind is JsonValueKind.Null)
        {
            return column.Numbers is null ? null : double.NaN;
        }

        if (column.Numbers is not null)
        {
            var number = value.ValueKind switch
            {
                JsonValueKind.Number => value.GetDouble(),
                JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
                _ => double.NaN,
            };
            if (!double.IsFinite(number))
            {
                problem = $"input '{column.Name}' is not a number";
            }

            return number;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString() is { Length: > 0 } text ? text : null;
            case JsonValueKind.Number:
                return value.GetRawText();
            case JsonValueKind.True or JsonValueKind.False:
                return value.GetBoolean() ? "true" : "false";
            default:
                problem = $"input '{column.Name}' is not a single value";
                return null;
        }
    }

    private static RawColumn Concat(RawColumn column, List<object?> values) => column.Numbers is { } numbers
        ? RawColumn.OfNumbers(column.Name, [.. numbers, .. values.Select(v => v is double d ? d : double.NaN)], column.SourceKind)
        : RawColumn.OfTexts(column.Name, [.. column.Texts!, .. values.Select(v => v as string)], column.SourceKind);

    /// <summary>Whether an actual value fits the label column: a finite number for regression, a known class otherwise.</summary>
    private sealed class LabelFit(RawColumn label, TaskKind task)
    {
        private readonly HashSet<double>? _numericClasses = task == TaskKind.Regression || label.Numbers is null ? null
            : label.Numbers.Where(double.IsFinite).ToHashSet();

        private readonly HashSet<string>? _textClasses = task == TaskKind.Regression || label.Texts is null ? null
            : label.Texts.OfType<string>().ToHashSet(StringComparer.Ordinal);

        public string? Check(string? actual, out object? value)
        {
            value = null;
            var text = actual?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return $"actual value of '{label.Name}' missing";
            }

            if (label.Numbers is not null)
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
                {
                    return $"actual value of '{label.Name}' is not a number";
                }

                value = number;
                return _numericClasses is null || _numericClasses.Contains(number) ? null : $"actual value of '{label.Name}' is not a known class";
            }

            value = text;
            if (task == TaskKind.Regression)
            {
                return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
                    ? null
                    : $"actual value of '{label.Name}' is not a number";
            }

            return _textClasses!.Contains(text) ? null : $"actual value of '{label.Name}' is not a known class";
        }
    }
}
