using System.Diagnostics;
using Serverless.Onnx;

namespace Serverless.Serving.Benchmarks;

/// <summary>Raw ONNX Runtime in the benchmark's own process: batch runs of prepared float tensors straight into the session.</summary>
public static class InProcessScoring
{
    /// <summary>
    /// Seconds to score <paramref name="rows"/> rows (the dataset's rows repeated) in runs of <paramref name="chunkRows"/>:
    /// one [n,1] float tensor per feature per run, the tensors built outside the clock.
    /// </summary>
    public static TimeSpan RawBatch(OnnxModel model, BenchmarkDataset data, int rows, int chunkRows)
    {
        var chunk = data.Features.Select((f, j) =>
            new NamedTensor(f, [chunkRows, 1], Enumerable.Range(0, chunkRows).Select(i => (float)data.Rows[i % data.Rows.Length][j]).ToArray())).ToList();
        model.Run(chunk);
        var clock = Stopwatch.StartNew();
        for (var done = 0; done < rows; done += chunkRows)
        {
            model.Run(chunk);
        }

        return clock.Elapsed;
    }
}
