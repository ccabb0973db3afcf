namespace Serverless.Registry;

/// <summary>
/// Where a dataset version came from when it was not uploaded as is: for <see cref="DatasetOrigins.Feedback"/>, the
/// rows of <see cref="BaseVersion"/> plus labelled feedback on the predictions of <see cref="Model"/> version
/// <see cref="ModelVersion"/>, the rows taken and the ones left out (by reason), and the prediction times they cover.
/// </summary>
public sealed record DatasetLineage(string Origin, int BaseVersion)
{
    public string? Model { get; init; }

    public int? ModelVersion { get; init; }

    /// <summary>Labelled feedback rows appended to the base version's rows.</summary>
    public int FeedbackRows { get; init; }

    /// <summary>Feedback rows left out because their logged inputs or actual value did not fit the dataset.</summary>
    public int SkippedRows { get; init; }

    /// <summary>How many rows were left out for each reason (e.g. <c>input 'hue' missing</c>).</summary>
    public IReadOnlyDictionary<string, int> SkippedReasons { get; init; } = new Dictionary<string, int>();

    /// <summary>The prediction time of the earliest appended feedback row.</summary>
    public DateTimeOffset? FeedbackFrom { get; init; }

    /// <summary>The prediction time of the latest appended feedback row.</summary>
    public DateTimeOffset? FeedbackTo { get; init; }
}

/// <summary>Values of <see cref="DatasetLineage.Origin"/> and <see cref="DatasetVersion.Origin"/>.</summary>
public static class DatasetOrigins
{
    /// <summary>A base version's rows plus labelled feedback from serving.</summary>
    public const string Feedback = "feedback";
}
