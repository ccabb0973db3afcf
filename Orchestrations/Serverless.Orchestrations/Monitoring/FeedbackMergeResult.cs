using Serverless.Data.Reading;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// A base dataset's columns with labelled feedback rows appended (<see cref="Appended"/> of them), the feedback rows
/// left out by reason, and the prediction times of the appended rows.
/// </summary>
public sealed record FeedbackMergeResult(
    IReadOnlyList<RawColumn> Columns,
    int BaseRows,
    int Appended,
    IReadOnlyDictionary<string, int> Skipped,
    DateTimeOffset? From,
    DateTimeOffset? To)
{
    public int SkippedRows => Skipped.Values.Sum();

    public int RowCount => BaseRows + Appended;
}
