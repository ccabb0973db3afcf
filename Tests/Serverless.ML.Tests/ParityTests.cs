using Serverless.Domain.Models;
using Serverless.Domain.Projects;
using Serverless.ML.Export;
using Serverless.ML.Parity;
using Serverless.ML.Training;
using Xunit;
using Xunit.Abstractions;

namespace Serverless.ML.Tests;

public sealed class ParityTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> TrainerByDataset()
    {
        var data = new TheoryData<string, string>();
        foreach (var dataset in new[] { "pima2", "wine", "servo" })
        {
            foreach (var trainer in TrainerNames.All)
            {
                data.Add(dataset, trainer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TrainerByDataset))]
    public void Onnx_export_reproduces_mlnet_on_rows_with_missing_values_and_unseen_categories(string dataset, string trainer)
    {
        var data = Datasets.LoadWithHardCases(dataset);
        var setup = data.Setup();
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, setup, Candidates.Small(trainer), CancellationToken.None);

        var onnx = OnnxModelExporter.Export(candidate, candidate.Signature);
        var report = OnnxParity.Check(candidate, onnx, data.Test);

        output.WriteLine($"{dataset} {setup.Task} {trainer}: trained in {candidate.Duration.TotalMilliseconds:F0} ms; {report.Summary}");
        Assert.True(report.Passed, report.Summary);
        Assert.Equal(data.Test.RowCount, report.RowCount);
        Assert.Contains(data.Test["segment"] is Serverless.Domain.Datasets.TextColumn t ? t.Values : [], v => v == "atlantis");
    }

    [Fact]
    public void Parity_on_a_large_test_split_compares_an_evenly_spaced_sample()
    {
        var data = Datasets.LoadWithHardCases("pima2");
        var candidate = CandidateTrainer.Train(data.Train, data.Validation, data.Setup(), Candidates.Small(TrainerNames.LightGbm), CancellationToken.None);
        var onnx = OnnxModelExporter.Export(candidate, candidate.Signature);
        var large = data.Test;
        while (large.RowCount <= OnnxParity.MaxRows)
        {
            large = large.Append(large);
        }

        var report = OnnxParity.Check(candidate, onnx, large);

        Assert.True(report.Passed, report.Summary);
        Assert.Equal(OnnxParity.MaxRows, report.RowCount);
        Assert.InRange(report.WorstRow, 0, large.RowCount - 1);
        Assert.Null(OnnxParity.SampleRows(OnnxParity.MaxRows));
        var rows = OnnxParity.SampleRows(large.RowCount)!;
        Assert.Equal(OnnxParity.MaxRows, rows.Count);
        Assert.Equal(0, rows[0]);
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.Second > p.First && p.Second - p.First <= (large.RowCount / OnnxParity.MaxRows) + 1));
        Assert.True(rows[^1] >= large.RowCount - (large.RowCount / OnnxParity.MaxRows) - 1);
    }

    [Fact]
    public void A_disagreement_is_reported_with_its_worst_row()
    {
        var mlNet = new Serverless.Onnx.ModelPredictions(TaskKind.Regression, null, null, null, [1f, 100f, 5f]);
        var onnx = new Serverless.Onnx.ModelPredictions(TaskKind.Regression, null, null, null, [1.00005f, 100.005f, 5.5f]);

        var report = OnnxParity.Compare(mlNet, onnx);

        Assert.False(report.Passed);
        Assert.Equal(1, report.ValueMismatches);
        Assert.Equal(2, report.WorstRow);
        Assert.Equal(5.0, report.MlNetValue);
        Assert.Contains("worst row 2", report.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_label_mismatch_fails_parity_even_when_probabilities_are_close()
    {
        string[] classes = ["a", "b"];
        var mlNet = new Serverless.Onnx.ModelPredictions(TaskKind.Binary, classes, ["a", "b"], [0.6f, 0.4f, 0.5f, 0.5f], null);
        var onnx = new Serverless.Onnx.ModelPredictions(TaskKind.Binary, classes, ["a", "a"], [0.6f, 0.4f, 0.5f, 0.5f], null);

        var report = OnnxParity.Compare(mlNet, onnx);

        Assert.False(report.Passed);
        Assert.Equal(1, report.LabelMismatches);
        Assert.Equal(1, report.WorstRow);
    }
}
