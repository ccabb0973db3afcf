using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Onnx;
using Serverless.Serving.Models;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Requests;
using Serverless.Serving.Telemetry;
using Serverless.Serving.Traffic;

namespace Serverless.Serving.Predictions;

/// <summary>
/// Scores predict requests: picks the version, reads the body against its signature, scores, logs. A request naming
/// no version or alias follows the model's traffic policy when there is one: a canary answers its share (decided by
/// the first prediction id), a shadow version scores the same rows off the request path.
/// </summary>
public sealed class PredictionService(
    ModelCache cache,
    PredictionLog log,
    IOptions<ServingOptions> options,
    TimeProvider time,
    TrafficPolicyCache? traffic = null,
    ShadowScorer? shadows = null,
    ServingTelemetry? telemetry = null)
{
    private readonly ServingOptions _options = options.Value;

    public int MaxRows => _options.MaxRows;

    /// <summary>Leases the version that answers: <paramref name="version"/> when given, else <paramref name="alias"/>, else the default alias.</summary>
    public Task<ModelLease> AcquireAsync(string model, string? alias, int? version, CancellationToken cancellationToken) =>
        cache.AcquireAsync(model, version is null ? alias ?? _options.DefaultAlias : null, version, cancellationToken);

    /// <summary>
    /// Leases the version that answers a request, following the model's traffic policy when the request names no
    /// version or alias: a canary answers its share (decided by the request's first prediction id), and the decision
    /// names the shadow version, if any, that <see cref="Score(ModelLease, TabularFrame, string?, long, TrafficDecision)"/> mirrors to.
    /// </summary>
    public async Task<(ModelLease Lease, TrafficDecision Traffic)> AcquireRoutedAsync(string model, string? alias, int? version, CancellationToken cancellationToken)
    {
        var policy = version is null && alias is null && traffic is not null
            ? await traffic.GetAsync(model, cancellationToken).ConfigureAwait(false)
            : null;
        string? firstId = null;
        if (policy?.Canary is { } canary)
        {
            firstId = PredictionId.New(time.GetUtcNow());
            version = CanarySplit.ToChallenger(firstId, canary.Share) ? canary.Version : null;
        }

        var lease = await AcquireAsync(model, alias, version, cancellationToken).ConfigureAwait(false);
        var shadow = policy?.Shadow is { } route && route.Version != lease.Version ? route : null;
        return (lease, firstId is null && shadow is null ? TrafficDecision.None : new TrafficDecision(firstId, shadow));
    }

    /// <summary>Scores an MLflow-style JSON or CSV body.</summary>
    public async Task<PredictionResult> PredictAsync(
        string model, string? alias, int? version, ReadOnlyMemory<byte> body, string? contentType, string? correlationId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var (lease, routed) = await AcquireRoutedAsync(model, alias, version, cancellationToken).ConfigureAwait(false);
        using (lease)
        {
            var signature = lease.Model.Signature ?? throw new ServingRequestException(
                $"Model '{model}' version {lease.Version} is a foreign ONNX model without the product's signature; call POST /v2/models/{model}/versions/{lease.Version}/infer with tensors.");
            var frame = PredictionRequestReader.Read(body, contentType, signature, _options.MaxRows);
            return Score(lease, frame, correlationId, started, routed);
        }
    }

    /// <summary>Scores and logs a frame read against the lease's signature, then mirrors it to the decision's shadow version.</summary>
    public PredictionResult Score(ModelLease lease, TabularFrame frame, string? correlationId, long startedTimestamp, TrafficDecision routed)
    {
        ArgumentNullException.ThrowIfNull(routed);
        var result = Score(lease, frame, correlationId, startedTimestamp, routed.FirstPredictionId);
        if (routed.Shadow is { } shadow)
        {
            shadows?.TryMirror(lease.Name, shadow.Version, frame, result.Ids, correlationId);
        }

        return result;
    }

    /// <summary>Scores a frame already read against the lease's signature, and logs the predictions.</summary>
    public PredictionResult Score(ModelLease lease, TabularFrame frame, string? correlationId, long startedTimestamp) =>
        Score(lease, frame, correlationId, startedTimestamp, firstId: null);

    private PredictionResult Score(ModelLease lease, TabularFrame frame, string? correlationId, long startedTimestamp, string? firstId)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentNullException.ThrowIfNull(frame);
        ModelPredictions predictions;
        try
        {
            predictions = lease.Model.Score(frame);
        }
        catch (OnnxModelException e)
        {
            throw new ServingRequestException(e.Message, e);
        }

        var now = time.GetUtcNow();
        var ids = new string[frame.RowCount];
        var first = 0;
        if (firstId is not null)
        {
            ids[first++] = firstId;
        }

        PredictionId.Fill(now, ids, first);

        var result = new PredictionResult(lease.Name, lease.Version, ids, predictions);
        telemetry?.RecordPredictions(lease.Name, lease.Version, ids.Length);
        var latency = Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds;
        var traceId = Activity.Current is { } activity && activity.TraceId != default ? activity.TraceId.ToHexString() : null;
        if (log.TrySample(ids.Length, out var sampled))
        {
            log.TryRecord(new ScoredRows(lease.Name, lease.Version, now, frame, predictions, ids, latency, correlationId, traceId, sampled));
        }

        return result;
    }

    internal static string OutputOf(ModelPredictions predictions, int row) => predictions.Task == TaskKind.Regression
        ? predictions.Values![row].ToString("R", CultureInfo.InvariantCulture)
        : predictions.Labels![row];

    /// <summary>Whether the predictions carry class probabilities (a classifier's).</summary>
    internal static bool HasProbabilities(ModelPredictions predictions) =>
        predictions.Classes is { Count: > 0 } && predictions.Probabilities is not null;

    /// <summary>Writes a row's probabilities (class → probability, null when not finite) as the writer's next value.</summary>
    internal static void WriteProbabilities(Utf8JsonWriter writer, ModelPredictions predictions, int row)
    {
        var classes = predictions.Classes!;
        writer.WriteStartObject();
        var probabilities = predictions.ProbabilitiesOf(row);
        for (var c = 0; c < classes.Count; c++)
        {
            if (float.IsFinite(probabilities[c]))
            {
                writer.WriteNumber(classes[c], probabilities[c]);
            }
            else
            {
                writer.WriteNull(classes[c]);
            }
        }

        writer.WriteEndObject();
    }
}
