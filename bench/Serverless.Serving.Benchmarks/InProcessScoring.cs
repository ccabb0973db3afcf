using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using Serverless.Onnx;

namespace Serverless.Serving.Benchmarks;

/// <summary>Raw ONNX Runtime in the benchmark's own process: batch runs of prepared float tensors straight into the session.</summary>
public static class InProcessScoring
{
    /// <summary>
    /// Seconds to score <paramref name="rows"/> rows (the dataset's rows repeated) in runs of <paramref name="chunkRows"/>
    /// with the session a user gets from <c>new InferenceSession(model)</c> (ONNX Runtime's defaults: one intra-op
    /// thread per physical core, spinning workers): one [n,1] float tensor per feature per run, the tensors built
    /// outside the clock, all outputs returned. Counts ONNX Runtime only: no CSV read, parse or output written.
    /// </summary>
    public static TimeSpan RawBatch(byte[] onnx, BenchmarkDataset data, int rows, int chunkRows)
    {
        using var session = new InferenceSession(onnx);
        using var runOptions = new RunOptions();
        var columns = data.Features.Select((_, j) => Enumerable.Range(0, chunkRows).Select(i => (float)data.Rows[i % data.Rows.Length][j]).ToArray()).ToArray();
        var inputs = columns.Select(column => OrtValue.CreateTensorValueFromMemory(column, [chunkRows, 1])).ToArray();
        try
        {
            Run(session, runOptions, data.Features, inputs);
            var clock = Stopwatch.StartNew();
            for (var done = 0; done < rows; done += chunkRows)
            {
                Run(session, runOptions, data.Features, inputs);
            }

            return clock.Elapsed;
        }
        finally
        {
            foreach (var input in inputs)
            {
                input.Dispose();
            }
        }
    }

    /// <summary>The same runs through the product's <see cref="OnnxModel"/> (one intra-op thread, no spinning), for reference.</summary>
    public static TimeSpan ProductSessionBatch(OnnxModel model, BenchmarkDataset data, int rows, int chunkRows)
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

    private static void Run(InferenceSession session, RunOptions runOptions, string[] names, OrtValue[] inputs)
    {
        using var outputs = session.Run(runOptions, names, inputs, session.OutputNames);
    }
}
