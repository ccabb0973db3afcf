using Microsoft.Extensions.Options;

namespace Serverless.Monitoring.Drift;

/// <summary>Builds <see cref="DriftReport"/>s: every feature checked, the dataset verdict by the drift-share rule.</summary>
public sealed class DriftAnalyzer
{
    private readonly DriftOptions _options;
    private readonly TimeProvider _time;

    public DriftAnalyzer(IOptions<DriftOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _options = options.Value;
        _options.Validate();
        _time = time;
    }

    /// <summary>Checks each feature and the predictions, and applies the drift-share rule.</summary>
    public DriftReport Analyze(DriftRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelName);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ModelVersion);
        request.Window.Validate();
        var duplicate = request.Features.GroupBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"Feature '{duplicate.Key}' appears {duplicate.Count()} times in the drift request.", nameof(request));
        }

        var driftShare = request.DriftShare ?? _options.DriftShare;
        if (driftShare is not (> 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(request), driftShare, $"The drift share of model '{request.ModelName}' must be in (0, 1]; it is {driftShare}.");
        }

        var features = request.Features.Select(f => FeatureDriftCheck.Evaluate(f, _options)).ToArray();
        var evaluated = features.Count(f => f.Verdict != DriftVerdict.InsufficientData);
        var drifted = features.Count(f => f.Verdict == DriftVerdict.Drift);
        var share = evaluated == 0 ? 0 : (double)drifted / evaluated;
        var prediction = request.Prediction is null ? null : FeatureDriftCheck.Evaluate(request.Prediction, _options);
        return new DriftReport(
            request.ModelName,
            request.ModelVersion,
            request.Window,
            _time.GetUtcNow(),
            features,
            evaluated,
            drifted,
            share,
            driftShare,
            DatasetDrift: evaluated > 0 && share >= driftShare,
            prediction);
    }
}
