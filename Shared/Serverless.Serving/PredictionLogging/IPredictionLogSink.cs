namespace Serverless.Serving.PredictionLogging;

/// <summary>Where batches of the prediction log are written.</summary>
public interface IPredictionLogSink
{
    Task WriteAsync(IReadOnlyList<PredictionLogEntry> batch, CancellationToken cancellationToken);
}
