using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

public sealed partial class PredictionLogStore
{
    /// <summary>Deletes logged predictions made before <paramref name="before"/>, and the feedback on them.</summary>
    public async Task<PredictionLogPurge> PurgeBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var predictions = await tables.DeleteRowsBeforeAsync(_log, "Time", before, cancellationToken).ConfigureAwait(false);
        var feedback = await tables.DeleteRowsBeforeAsync(_feedback, "PredictedAt", before, cancellationToken).ConfigureAwait(false);
        return new PredictionLogPurge(predictions, feedback);
    }
}
