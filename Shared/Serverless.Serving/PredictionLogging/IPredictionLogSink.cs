namespace Serverless.Serving.PredictionLogging;

/// <summary>Where batches of the prediction log are written.</summary>
public interface IPredictionLogSink
{
    /// <summary>Writes a batch; its chunks are reused once this completes, so a sink keeps nothing of them.</summary>
    Task WriteAsync(PredictionLogBatch batch, CancellationToken cancellationToken);
}
