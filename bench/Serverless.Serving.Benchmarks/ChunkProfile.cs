using System.Diagnostics;
using System.Globalization;
using System.Text;
using Serverless.Onnx;
using Serverless.Orchestrations.Scoring;
using Serverless.Storage;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// One batch scoring chunk in process, repeated: parse, score and format (<see cref="ChunkScorer"/>, as the chunk
/// activity runs them) and staging the output block on Azurite, against raw ONNX Runtime runs over the same rows.
/// Medians, because the machine may be shared.
/// </summary>
public static class ChunkProfile
{
    public static async Task RunAsync(string modelPath, IBlobStore blobs, int chunkRows, int repeats)
    {
        var data = BenchmarkDataset.Load(modelPath + ".csv");
        var onnx = await File.ReadAllBytesAsync(modelPath);
        using var model = OnnxModel.Load(onnx);
        var csv = data.ScoringCsv(chunkRows);
        var headerEnd = Array.IndexOf(csv, (byte)'\n') + 1;
        var header = CsvRecord.Split(Encoding.UTF8.GetString(csv, 0, headerEnd - 1));
        var idPrefix = "batch-0123456789abcdef-"u8.ToArray();
        await blobs.CreateContainerIfNotExistsAsync("chunk-profile");
        var phases = new List<(double Parse, double Score, double Format, double Stage, double Total, double Raw, double OneThread)>();
        for (var r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            var builder = new ScoringFrameBuilder(model.Signature!, header);
            using var output = new Utf8CsvBuffer(csv.Length * 2);
            using var errors = new Utf8CsvBuffer(1024);
            var score = ChunkScorer.Score(csv.AsSpan(headerEnd), 1, model, builder, idPrefix, output, errors);
            var staging = clock.Elapsed;
            await blobs.StageBlockAsync("chunk-profile", "chunk.csv", Convert.ToBase64String(BitConverter.GetBytes(r)), output.Written);
            var total = clock.Elapsed;
            var raw = InProcessScoring.RawBatch(onnx, data, chunkRows, chunkRows);
            var oneThread = InProcessScoring.ProductSessionBatch(model, data, chunkRows, chunkRows);
            phases.Add((score.Parse.TotalMilliseconds, score.Score.TotalMilliseconds, score.Format.TotalMilliseconds, (total - staging).TotalMilliseconds, total.TotalMilliseconds, raw.TotalMilliseconds, oneThread.TotalMilliseconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  run {r}: parse {phases[^1].Parse:0} ms, score {phases[^1].Score:0} ms, format {phases[^1].Format:0} ms, stage {phases[^1].Stage:0} ms ({output.Length / 1e6:0.0} MB), raw ORT {phases[^1].Raw:0} ms (one thread {phases[^1].OneThread:0} ms); scored {score.Scored}"));
        }

        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"chunk of {chunkRows} rows x {data.Features.Length} features, medians of {repeats}: parse {Median(phases.Select(p => p.Parse)):0} ms, score {Median(phases.Select(p => p.Score)):0} ms, format {Median(phases.Select(p => p.Format)):0} ms, stage {Median(phases.Select(p => p.Stage)):0} ms, total {Median(phases.Select(p => p.Total)):0} ms; raw ONNX Runtime {Median(phases.Select(p => p.Raw)):0} ms (default session), {Median(phases.Select(p => p.OneThread)):0} ms (the product's one-thread session); load average {WrkRun.LoadAverage()}"));
    }
}
