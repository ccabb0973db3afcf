using System.Globalization;
using System.Text;

namespace Serverless.Serving.Benchmarks;

/// <summary>The Wisconsin breast cancer dataset (scikit-learn's bundled copy, written by breast_cancer.py): 30 numeric features, label <c>diagnosis</c>.</summary>
public sealed class BenchmarkDataset
{
    public const string Label = "diagnosis";

    private BenchmarkDataset(string[] features, double[][] rows, string[] labels)
    {
        Features = features;
        Rows = rows;
        Labels = labels;
    }

    public string[] Features { get; }

    public double[][] Rows { get; }

    public string[] Labels { get; }

    public static BenchmarkDataset Load(string csvPath)
    {
        var lines = File.ReadAllLines(csvPath);
        var header = lines[0].Split(',');
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        return new BenchmarkDataset(
            header[..^1],
            [.. rows.Select(r => r[..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())],
            [.. rows.Select(r => r[^1])]);
    }

    /// <summary>The rows as CSV without the label, repeated in order until <paramref name="count"/> rows.</summary>
    public byte[] ScoringCsv(int count)
    {
        var csv = new StringBuilder(string.Join(',', Features)).Append('\n');
        var formatted = Rows.Select(r => string.Join(',', r.Select(v => v.ToString(CultureInfo.InvariantCulture)))).ToArray();
        for (var i = 0; i < count; i++)
        {
            csv.Append(formatted[i % formatted.Length]).Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>The dataset as it was loaded, label included (for training).</summary>
    public byte[] ScoringCsvWithLabels()
    {
        var csv = new StringBuilder(string.Join(',', [.. Features, Label])).Append('\n');
        for (var i = 0; i < Rows.Length; i++)
        {
            csv.Append(string.Join(',', Rows[i].Select(v => v.ToString(CultureInfo.InvariantCulture)))).Append(',').Append(Labels[i]).Append('\n');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    /// <summary>One row as <c>{"instances": [{"mean_radius": ..}]}</c>.</summary>
    public string SingleRowJson(int row) =>
        "{\"instances\":[{" + string.Join(',', Features.Select((f, j) => $"\"{f}\":{Rows[row][j].ToString(CultureInfo.InvariantCulture)}")) + "}]}";
}
