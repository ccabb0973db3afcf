namespace Serverless.Serving.PredictionLogging;

/// <summary>
/// What a request hands the prediction log: entries to be, turned into <see cref="PredictionLogEntry"/> objects by the
/// log's background writer, so formatting them costs the request nothing.
/// </summary>
internal abstract class PendingPredictions
{
    /// <summary>How many entries this becomes.</summary>
    public abstract int Count { get; }

    /// <summary>Appends the entries (on the writer's thread).</summary>
    public abstract void Expand(Queue<PredictionLogEntry> entries);

    /// <summary>Only the first <paramref name="count"/> entries (0 &lt; count &lt; <see cref="Count"/>).</summary>
    public abstract PendingPredictions Take(int count);

    /// <summary>One entry already made.</summary>
    public sealed class Single(PredictionLogEntry entry) : PendingPredictions
    {
        public override int Count => 1;

        public override void Expand(Queue<PredictionLogEntry> entries) => entries.Enqueue(entry);

        public override PendingPredictions Take(int count) => this;
    }
}
