using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace Serverless.Serving.Telemetry;

/// <summary>
/// The serving metrics, in meter <see cref="MeterName"/>: request duration by model, version, status and endpoint;
/// predictions by model and version; model load time by model and version. Each record is skipped when nothing
/// listens to its instrument, so an unobserved host pays one flag check per request.
/// </summary>
public sealed class ServingTelemetry
{
    public const string MeterName = "Serverless.Serving";
    public const string RequestDurationName = "mlops.predict.duration";
    public const string PredictionsName = "mlops.predictions";
    public const string ModelLoadDurationName = "mlops.model.load.duration";

    /// <summary>Tags set on the request's current activity, so a trace shows which model answered.</summary>
    public const string ModelTag = "mlops.model";
    public const string ModelVersionTag = "mlops.model.version";

    private static readonly string[] VersionTexts = [.. Enumerable.Range(0, 64).Select(v => v.ToString(CultureInfo.InvariantCulture))];

    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _predictions;
    private readonly Histogram<double> _loadDuration;

    public ServingTelemetry(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _requestDuration = meter.CreateHistogram<double>(RequestDurationName, "ms", "Duration of predict and infer requests, from routing to the response written.");
        _predictions = meter.CreateCounter<long>(PredictionsName, "{prediction}", "Rows scored by predict and infer requests.");
        _loadDuration = meter.CreateHistogram<double>(ModelLoadDurationName, "ms", "Time to fetch and load a model version into ONNX Runtime.");
    }

    /// <summary>Whether anything listens to the request duration (so the caller can skip gathering its tags).</summary>
    public bool ObservesRequests => _requestDuration.Enabled;

    /// <summary>One predict or infer request ended with <paramref name="status"/>; <paramref name="version"/> is null when no version answered.</summary>
    public void RecordRequest(string endpoint, string? model, int? version, int status, TimeSpan duration)
    {
        if (!_requestDuration.Enabled)
        {
            return;
        }

        var tags = new TagList
        {
            { "model", model },
            { "version", version is { } v ? VersionText(v) : null },
            { "status", status },
            { "endpoint", endpoint },
        };
        _requestDuration.Record(duration.TotalMilliseconds, tags);
    }

    /// <summary>
    /// <paramref name="rows"/> predictions of one model version: counted, and the current activity (the HTTP request's,
    /// when there is one) is tagged with the model and version.
    /// </summary>
    public void RecordPredictions(string model, int version, int rows)
    {
        if (Activity.Current is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(ModelTag, model);
            activity.SetTag(ModelVersionTag, version);
        }

        if (_predictions.Enabled)
        {
            _predictions.Add(rows, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("version", VersionText(version)));
        }
    }

    public void RecordModelLoad(string model, int version, TimeSpan duration)
    {
        if (_loadDuration.Enabled)
        {
            _loadDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("model", model), new KeyValuePair<string, object?>("version", VersionText(version)));
        }
    }

    private static string VersionText(int version) =>
        (uint)version < (uint)VersionTexts.Length ? VersionTexts[version] : version.ToString(CultureInfo.InvariantCulture);
}
