using System.Globalization;
using System.Text;

namespace Serverless.Serving.Benchmarks;

/// <summary>The figures of one run, as the <c>serving</c> section of docs/benchmarks.md.</summary>
public sealed record ServingReport(
    string Environment,
    int TrainingRows,
    string WrkSettings,
    WrkResult Predict,
    WrkResult Constant,
    WrkResult Flask,
    double InProcessScoresPerSecond,
    int BatchRows,
    double ProductBatchRowsPerSecond,
    double RawBatchRowsPerSecond,
    string? StageTable = null,
    WrkResult? UnloggedPredict = null)
{
    public const string Begin = "<!-- serving:begin -->";
    public const string End = "<!-- serving:end -->";

    public double OverheadRatio => Predict.RequestsPerSecond / Constant.RequestsPerSecond;

    public double FlaskMultiple => Predict.RequestsPerSecond / Flask.RequestsPerSecond;

    public double BatchRatio => RawBatchRowsPerSecond / ProductBatchRowsPerSecond;

    public string ToMarkdown()
    {
        var inv = CultureInfo.InvariantCulture;
        var md = new StringBuilder();
        md.Append(inv, $"{Begin}\n## Model serving (predict, OIP host, ONNX Runtime, Flask + scikit-learn baseline)\n\n");
        md.Append(inv, $"Measured by `bench/Serverless.Serving.Benchmarks/run.sh` in one run on loopback: {Environment}. The product host runs in-process on Kestrel against Azurite with a LightGBM model it trained itself on a generated dataset ({TrainingRows} rows, 8 numeric features, binary label); load from wrk ({WrkSettings}), single-row JSON bodies, the function key in a header.\n\n");
        md.Append("| Endpoint | Requests/s | p50 (ms) | p99 (ms) | Requests | Errors |\n|---|---:|---:|---:|---:|---:|\n");
        foreach (var r in new[] { Predict, UnloggedPredict, Constant, Flask }.OfType<WrkResult>())
        {
            md.Append(inv, $"| {r.Name} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Requests} | {r.Errors} |\n");
        }

        md.Append('\n');
        md.Append(inv, $"| Figure | Value | Goal |\n|---|---:|---|\n");
        md.Append(inv, $"| Predict / constant endpoint (overhead ratio) | {OverheadRatio:P0} | ≥ 70 % {(OverheadRatio >= 0.7 ? "(met)" : "(not met)")} |\n");
        md.Append(inv, $"| Predict / Flask + scikit-learn | {FlaskMultiple:0.0}x | ≥ 10x {(FlaskMultiple >= 10 ? "(met)" : "(not met)")} |\n");
        if (UnloggedPredict is not null)
        {
            md.Append(inv, $"| Predict with the prediction log off / constant endpoint (diagnostic: the log's share) | {UnloggedPredict.RequestsPerSecond / Constant.RequestsPerSecond:P0} | |\n");
        }

        md.Append(inv, $"| In-process ONNX Runtime single-row `Score` calls/s (one thread) | {InProcessScoresPerSecond:0} | |\n");
        md.Append(inv, $"| Batch through the product (`POST /predict`, text/csv, {BatchRows} rows per request) rows/s | {ProductBatchRowsPerSecond:0} | |\n");
        md.Append(inv, $"| Raw ONNX Runtime batch runs ({BatchRows} rows per run) rows/s | {RawBatchRowsPerSecond:0} | |\n");
        md.Append(inv, $"| Raw / product batch | {BatchRatio:0.00}x | within 2x {(BatchRatio <= 2 ? "(met)" : "(not met)")} |\n\n");
        if (StageTable is not null)
        {
            md.Append(StageTable).Append('\n');
        }

        md.Append("The constant endpoint is a function on the same host behind the same key check, so the ratio isolates request parsing, validation against the signature, the model cache, ONNX Runtime and the prediction log. The Flask baseline (`flask_baseline.py`, Debian's python3-flask and python3-sklearn, Flask's threaded server, a HistGradientBoostingClassifier on the same CSV) answers the same body shape. On a 2-core machine wrk, the host and Azurite share the CPU, so absolute numbers are lower bounds.\n");
        md.Append(End);
        return md.ToString();
    }

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
