using System.Globalization;
using System.Text;

namespace Serverless.Training.Benchmarks;

/// <summary>
/// The benchmark's data: <c>f0..f{n-1}</c> standard-normal numeric features and a binary label from a known
/// linear function plus Gaussian noise (<c>label = w·x + 0.5·noise &gt; 0</c>, weights alternating in sign and
/// decreasing), all from a fixed seed, so every run trains on the same file.
/// </summary>
public static class SyntheticDataset
{
    public const string LabelColumn = "label";

    public static string FeatureName(int index) => $"f{index}";

    public static async Task WriteCsvAsync(string path, int rows, int features, int seed, CancellationToken cancellationToken = default)
    {
        var random = new Random(seed);
        var weights = Enumerable.Range(0, features).Select(i => (i % 2 == 0 ? 1.0 : -1.0) / (1 + (i * 0.25))).ToArray();
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', Enumerable.Range(0, features).Select(FeatureName).Append(LabelColumn))).ConfigureAwait(false);
        var line = new StringBuilder(features * 10);
        var values = new double[features];
        for (var row = 0; row < rows; row++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            line.Clear();
            var score = 0.0;
            for (var i = 0; i < features; i++)
            {
                values[i] = Gaussian(random);
                score += weights[i] * values[i];
                line.Append(values[i].ToString("F4", CultureInfo.InvariantCulture)).Append(',');
            }

            line.Append(score + (0.5 * Gaussian(random)) > 0 ? '1' : '0');
            await writer.WriteLineAsync(line, cancellationToken).ConfigureAwait(false);
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
