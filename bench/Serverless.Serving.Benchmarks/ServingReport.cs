using System.Globalization;
using System.Text;

namespace Serverless.Serving.Benchmarks;

/// <summary>The figures of one run, as the <c>serving</c> section of docs/benchmarks.md.</summary>
public sealed record ServingReport(
    string Environment,
    int TrainingRows,
    int Features,
    string WrkSettings,
    WrkResult Product,
    WrkResult Limit,
    WrkResult Peer,
    WrkResult? Unlogged,
    TimeSpan ColdStart,
    int BatchRows,
    int ChunkRows,
    TimeSpan ProductBatch,
    TimeSpan RawBatch,
    TimeSpan OneThreadBatch)
{
    public const string Begin = "<!-- serving:begin -->";
    public const string End = "<!-- serving:end -->";

    public double PeerMultiple => Product.RequestsPerSecond / Peer.RequestsPerSecond;

    public double LimitShare => Product.RequestsPerSecond / Limit.RequestsPerSecond;

    public double BatchRatio => ProductBatch / RawBatch;

    /// <summary>The headline, as printed and as the README's benchmark summary quotes it.</summary>
    public string Summary() => string.Create(CultureInfo.InvariantCulture,
        $"predict {Product.RequestsPerSecond:0} req/s (p50 {Product.P50Ms:0.00} ms, p99 {Product.P99Ms:0.00} ms) with the prediction log on = {PeerMultiple:0.0}x the gunicorn + scikit-learn peer ({Peer.RequestsPerSecond:0} req/s) and {LimitShare:P0} of a bare ASP.NET Core + ONNX Runtime endpoint ({Limit.RequestsPerSecond:0} req/s); {BatchRows:N0}-row batch scoring {ProductBatch.TotalSeconds:0.0} s = {BatchRatio:0.0}x raw ONNX Runtime ({RawBatch.TotalSeconds:0.00} s); cold start {ColdStart.TotalSeconds:0.0} s");

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"{Begin}\n## Model serving: product vs tuned peer vs the stack's own limit\n\n");
        md.Append(inv, $"Measured by `bench/Serverless.Serving.Benchmarks/run.sh` in one run on loopback: {Environment}. Breast cancer dataset (scikit-learn's bundled copy, {TrainingRows} rows, {Features} numeric features); the product trains its own LightGBM model from it and serves it from the local host (its own process, Azurite running, prediction log on, the function key in a header); the peer trains a HistGradientBoostingClassifier on the same CSV; the limit endpoint serves the product's ONNX model. Load from wrk ({WrkSettings}), the same single-row JSON body for all. The load average column is the 1-minute load read right after each run: a busy machine lowers every figure.\n\n");
        md.Append("| Endpoint | Requests/s | p50 (ms) | p99 (ms) | Requests | Errors | Load |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var r in new[] { Product, Limit, Peer, Unlogged }.OfType<WrkResult>())
        {
            md.Append(inv, $"| {r.Name} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Requests} | {r.Errors} | {r.LoadAverage} |\n");
        }

        md.Append('\n');
        md.Append("| Figure | Value | Goal |\n|---|---:|---|\n");
        md.Append(inv, $"| Product predict / tuned peer | {PeerMultiple:0.0}x | ≥ 10x {Met(PeerMultiple >= 10)} |\n");
        md.Append(inv, $"| Product predict / limit endpoint | {LimitShare:P0} | ≥ 70 % {Met(LimitShare >= 0.7)} |\n");
        if (Unlogged is not null)
        {
            md.Append(inv, $"| Product predict with the prediction log off / on (diagnostic: the log's price) | {Unlogged.RequestsPerSecond / Product.RequestsPerSecond:0.00}x | |\n");
        }

        md.Append(inv, $"| Batch scoring, {BatchRows:N0} rows (CSV upload to `scoring-input` until the run completed), s | {ProductBatch.TotalSeconds:0.0} | |\n");
        md.Append(inv, $"| Raw ONNX Runtime batch runs over the same rows ({ChunkRows:N0} rows per run, a default `InferenceSession`: one intra-op thread per core), s | {RawBatch.TotalSeconds:0.00} | |\n");
        md.Append(inv, $"| The same runs on the product's one-thread session (reference only), s | {OneThreadBatch.TotalSeconds:0.00} | {ProductBatch / OneThreadBatch:0.0}x |\n");
        md.Append(inv, $"| Product / raw batch | {BatchRatio:0.0}x | within 2x {Met(BatchRatio <= 2)} |\n");
        md.Append(inv, $"| Cold start: local host process start to first answered prediction (Azurite running, model registered) | {ColdStart.TotalSeconds:0.0} s | reported |\n\n");
        md.Append("Summary: ").Append(Summary()).Append(".\n\n");
        md.Append("Peer: `flask_baseline.py` under Debian's `/usr/bin/gunicorn` (2 sync workers, `--preload`, `OMP_NUM_THREADS=1`), python3-flask and python3-sklearn from Debian. Limit: `LimitEndpoint.cs`, a minimal API on Kestrel that parses the body and calls ONNX Runtime with one float tensor per feature, no key check, no log. Product batch time counts the upload, the blob trigger, the durable orchestration, CSV parsing, scoring and writing the output; the raw runs count ONNX Runtime only (inputs prepared as tensors outside the clock), with the session options a user gets by default. On a 2-core machine wrk, the host under test and Azurite share the CPU.\n");
        md.Append(End);
        return md.ToString();
    }

    private static string Met(bool met) => met ? "(met)" : "(not met)";

    /// <summary>Replaces (or appends) only this section of the document.</summary>
    public static string Merge(string document, string section)
    {
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        return start >= 0 && end > start
            ? document[..start] + section + document[(end + End.Length)..]
            : document.TrimEnd() + "\n\n" + section + "\n";
    }
}
