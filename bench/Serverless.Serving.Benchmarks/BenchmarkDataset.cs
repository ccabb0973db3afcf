using System.Globalization;
using System.Text;

namespace Serverless.Serving.Benchmarks;

/// <summary>A generated binary classification dataset: eight numeric features, label from a noisy linear score.</summary>
public sealed class BenchmarkDataset
{
    public const string Label = "label";
    public static readonly string[] Features = [.. Enumerable.Range(0, 8).Select(i => $"f{i}")];

    private BenchmarkDataset(double[][] rows, string[] labels)
    {
        Rows = rows;
        Labels = labels;
    }

    public double[][] Rows { get; }

    public string[] Labels { get; }

    public static BenchmarkDataset Generate(int count, int seed)
    {
        var random = new Random(seed);
        var rows = new double[count][];
        var labels = new string[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = [.. Features.Select(_ => Math.Round((random.NextDouble() * 4) - 2, 4))];
            var score = rows[i].Select((v, j) => v * (j % 2 == 0 ? 1.0 : -0.7)).Sum() + ((random.NextDouble() - 0.5) * 2);
            labels[i] = score > 0 ? "yes" : "no";
        }

        return new BenchmarkDataset(rows, labels);
    }

    public string ToCsv(bool withLabel = true, int? take = null)
    {
        var csv = new StringBuilder(string.Join(',', withLabel ? [.. Features, Label] : Features)).Append('\n');
        for (var i = 0; i < (take ?? Rows.Length); i++)
        {
            csv.Append(string.Join(',', Rows[i].Select(v => v.ToString(CultureInfo.InvariantCulture))));
            csv.Append(withLabel ? "," + Labels[i] + "\n" : "\n");
        }

        return csv.ToString();
    }

    /// <summary>One row as <c>{"instances": [{"f0": ..}]}</c>.</summary>
    public string SingleRowJson(int row) =>
        "{\"instances\":[{" + string.Join(',', Features.Select((f, j) => $"\"{f}\":{Rows[row][j].ToString(CultureInfo.InvariantCulture)}")) + "}]}";
}
