using System.Text.Json;
using Serverless.Data.Reading;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Orchestrations.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>Labelled feedback becomes dataset rows; rows that do not fit are left out and counted by reason.</summary>
public sealed class FeedbackMergeTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static readonly RawDataset Base = new("base.csv", "hash", 0, 2,
    [
        RawColumn.OfNumbers("size", [1.0, 2.0]),
        RawColumn.OfTexts("colour", ["red", "blue"]),
        RawColumn.OfTexts("id", ["a", "b"]),
        RawColumn.OfTexts("kind", ["cat", "dog"]),
    ]);

    private static readonly ModelSignature Classifier = new(TaskKind.Binary, "kind",
        [new SignatureInput("size", ColumnKind.Numeric), new SignatureInput("colour", ColumnKind.Categorical, ["red", "blue"])], ["cat", "dog"]);

    [Fact]
    public void Fitting_rows_are_appended_and_the_others_counted_by_reason()
    {
        LoggedPrediction[] feedback =
        [
            Row("""{"size": 3.5, "colour": "red", "extra": 1}""", "dog", minutes: 5),
            Row("""{"size": "4", "colour": null}""", "cat", minutes: 1),
            Row("""{"colour": "red"}""", "cat", minutes: 2),
            Row("""{"size": "big", "colour": "red"}""", "cat", minutes: 3),
            Row("""{"size": 1, "colour": "red"}""", "bird", minutes: 4),
            Row("""{"size": 1, "colour": "red"}""", null, minutes: 6),
            Row("""{"size": 1, "colour": ["red"]}""", "cat", minutes: 7),
        ];

        var merged = FeedbackMerge.Append(Base, Classifier, feedback);

        Assert.Equal(2, merged.Appended);
        Assert.Equal(4, merged.RowCount);
        Assert.Equal([1.0, 2.0, 3.5, 4.0], merged.Columns[0].Numbers!);
        Assert.Equal<string?>(["red", "blue", "red", null], merged.Columns[1].Texts!.AsEnumerable());
        Assert.Equal<string?>(["a", "b", null, null], merged.Columns[2].Texts!.AsEnumerable());
        Assert.Equal<string?>(["cat", "dog", "dog", "cat"], merged.Columns[3].Texts!.AsEnumerable());
        Assert.Equal(5, merged.SkippedRows);
        Assert.Equal(1, merged.Skipped["input 'size' missing from the logged inputs"]);
        Assert.Equal(1, merged.Skipped["input 'size' is not a number"]);
        Assert.Equal(1, merged.Skipped["actual value of 'kind' is not a known class"]);
        Assert.Equal(1, merged.Skipped["actual value of 'kind' missing"]);
        Assert.Equal(1, merged.Skipped["input 'colour' is not a single value"]);
        Assert.Equal(Noon.AddMinutes(1), merged.From);
        Assert.Equal(Noon.AddMinutes(5), merged.To);
    }

    [Fact]
    public void A_regression_label_takes_any_finite_number_only()
    {
        var data = new RawDataset("base.csv", "hash", 0, 1, [RawColumn.OfNumbers("x", [1]), RawColumn.OfNumbers("y", [10])]);
        var signature = new ModelSignature(TaskKind.Regression, "y", [new SignatureInput("x", ColumnKind.Numeric)]);

        var merged = FeedbackMerge.Append(data, signature, [Row("""{"x": 2}""", "12.5"), Row("""{"x": 3}""", "NaN"), Row("""{"x": 4}""", "lots")]);

        Assert.Equal([10, 12.5], merged.Columns[1].Numbers!);
        Assert.Equal(2, merged.Skipped["actual value of 'y' is not a number"]);
    }

    [Fact]
    public void Feedback_for_a_label_the_dataset_lacks_is_all_skipped()
    {
        var signature = Classifier with { Label = "species" };

        var merged = FeedbackMerge.Append(Base, signature, [Row("""{"size": 1, "colour": "red"}""", "cat")]);

        Assert.Equal(0, merged.Appended);
        Assert.Equal(2, merged.RowCount);
        Assert.Equal(1, merged.Skipped["label column 'species' is not in the dataset"]);
    }

    private static LoggedPrediction Row(string inputs, string? actual, int minutes = 0)
    {
        using var document = JsonDocument.Parse(inputs);
        return new LoggedPrediction($"p{minutes}", 1, Noon.AddMinutes(minutes), document.RootElement.Clone(), "cat", actual);
    }
}
