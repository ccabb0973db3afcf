using System.Diagnostics;
using Serverless.Domain.Datasets;
using Serverless.Onnx;

namespace Serverless.Serving.Benchmarks;

/// <summary>ONNX Runtime in the benchmark's own process: single-row <see cref="OnnxModel.Score"/> calls and raw batch runs.</summary>
public static class InProcessScoring
{
    /// <summary>Single-row Score calls per second, over <paramref name="duration"/> on one thread.</summary>
    public static double SingleRowScoresPerSecond(OnnxModel model, BenchmarkDataset data, TimeSpan duration)
    {
        var frames = Enumerable.Range(0, 64).Select(row => new TabularFrame(
            [.. BenchmarkDataset.Features.Select((f, j) => (FrameColumn)new NumericColumn(f, [data.Rows[row][j]]))])).ToArray();
        for (var i = 0; i < 200; i++)
        {
            model.Score(frames[i % frames.Length]);
        }

        var calls = 0L;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            model.Score(frames[calls++ % frames.Length]);
        }

        return calls / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Rows per second of raw batch runs: one [rows,1] float tensor per feature straight into the session.</summary>
    public static double RawBatchRowsPerSecond(OnnxModel model, BenchmarkDataset data, int rows, int runs)
    {
        var inputs = BenchmarkDataset.Features.Select((f, j) =>
            new NamedTensor(f, [rows, 1], data.Rows.Take(rows).Select(r => (float)r[j]).ToArray())).ToList();
        model.Run(inputs);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < runs; i++)
        {
            model.Run(inputs);
        }

        return (double)rows * runs / clock.Elapsed.TotalSeconds;
    }
}
