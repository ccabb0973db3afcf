using System.Diagnostics;
using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Onnx;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// ONNX Runtime session settings compared on the same model bytes, in-process on one thread: single-row and
/// 5000-row <see cref="OnnxModel.Score"/> calls, wall and process CPU time per call.
/// </summary>
public static class SessionOptionsProfile
{
    public static void Run(byte[] onnx, BenchmarkDataset data, int batchRows)
    {
        var variants = new (string Name, OnnxModelOptions Options)[]
        {
            ("product default (1 intra-op, 1 inter-op thread, no spinning, memory pattern)", new OnnxModelOptions()),
            ("spinning allowed", new OnnxModelOptions { AllowSpinning = true }),
            ("no memory pattern", new OnnxModelOptions { EnableMemoryPattern = false }),
            ("2 intra-op threads, spinning allowed (ONNX Runtime's usual)", new OnnxModelOptions { IntraOpThreads = 2, AllowSpinning = true }),
            ("2 intra-op threads, no spinning", new OnnxModelOptions { IntraOpThreads = 2 }),
        };
        var single = Frame(data, 0, 1);
        var batch = Frame(data, 0, batchRows);
        foreach (var (name, options) in variants)
        {
            using var model = OnnxModel.Load(onnx, options);
            var (wall, cpu) = Measure(() => model.Score(single), 3000);
            var (batchWall, batchCpu) = Measure(() => model.Score(batch), 10);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  ONNX Runtime, {name}: one row {wall:0.0} µs wall / {cpu:0.0} µs CPU; {batchRows} rows {batchWall / 1000:0.0} ms wall / {batchCpu / 1000:0.0} ms CPU"));
        }
    }

    private static TabularFrame Frame(BenchmarkDataset data, int first, int rows) => new(
        [.. data.Features.Select((f, j) => (FrameColumn)new NumericColumn(f, [.. Enumerable.Range(first, rows).Select(i => data.Rows[i % data.Rows.Length][j])]))]);

    private static (double Wall, double Cpu) Measure(Action call, int calls)
    {
        for (var i = 0; i < Math.Max(1, calls / 10); i++)
        {
            call();
        }

        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++)
        {
            call();
        }

        return (Stopwatch.GetElapsedTime(started).TotalMicroseconds / calls, (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / calls);
    }
}
