using Serverless.Serving.PredictionLogging;

namespace Serverless.Serving.Feedback;

/// <summary>
/// Records ground truth for earlier predictions: the last item per id is joined to its logged prediction and stored in
/// the feedback table by <see cref="PredictionLogStore"/>, for monitoring. Predictions not (yet) in the log — unknown, of
/// another model, unsampled, or still buffered — are reported back.
/// </summary>
public sealed class FeedbackService(PredictionLogStore log, TimeProvider time)
{
    public const int MaxItems = 1000;

    public Task<FeedbackResult> RecordAsync(string model, IReadOnlyList<FeedbackItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var latest = items.GroupBy(item => item.Id, StringComparer.Ordinal).Select(group => group.Last()).ToList();
        return log.RecordFeedbackAsync(model, latest, time.GetUtcNow(), cancellationToken);
    }
}
