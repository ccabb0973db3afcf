using Serverless.Storage;

namespace Serverless.Serving.PredictionLogging;

public sealed partial class PredictionLogStore
{
    /// <summary>
    /// Deletes the segments whose whole hour ended by <paramref name="before"/> (a segment is never cut: one with a
    /// prediction at or after <paramref name="before"/> stays whole), and the feedback on predictions made before it.
    /// </summary>
    public async Task<PredictionLogPurge> PurgeBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var expired = new List<string>();
        await foreach (var blob in blobs.ListAsync(_container, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (PredictionLogSegments.HourOf(blob.Name) is { } hour && hour.AddHours(1) <= before)
            {
                expired.Add(blob.Name);
            }
        }

        var segments = 0;
        foreach (var name in expired)
        {
            segments += await blobs.DeleteIfExistsAsync(_container, name, cancellationToken: cancellationToken).ConfigureAwait(false) ? 1 : 0;
        }

        var feedback = await tables.DeleteRowsBeforeAsync(_feedback, "PredictedAt", before, cancellationToken).ConfigureAwait(false);
        return new PredictionLogPurge(segments, feedback);
    }
}
