using Serverless.Storage;

namespace Serverless.Orchestrations.Training.Records;

/// <summary>Reads a run back from the store's rows and documents as the API shows it (<see cref="RunView"/> and its <see cref="RunReport"/>).</summary>
internal static class RunRecordReader
{
    /// <summary>A run from its index row alone (what a search lists: no report).</summary>
    public static RunView Summary(TableEntity row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var status = row.GetString("Status") ?? "Pending";
        var created = row.GetDateTimeOffset("CreatedAt") ?? row.Timestamp ?? DateTimeOffset.MinValue;
        return new RunView(
            row.RowKey,
            row.PartitionKey,
            row.GetString("Trigger"),
            row.GetString("RequestedBy"),
            row.GetString("Reason"),
            status,
            row.GetString("RuntimeStatus") ?? "Pending",
            created,
            row.GetDateTimeOffset("LastUpdatedAt") ?? created,
            null,
            row.GetString("FailureReason"))
        {
            IsFinished = RunRows.HasEnded(row.GetString("RuntimeStatus")),
            DatasetVersion = row.GetInt32("DatasetVersion"),
            DatasetHash = row.GetString("DatasetHash"),
            SpecHash = row.GetString("SpecHash"),
            CodeVersion = row.GetString("CodeVersion"),
            ModelVersion = row.GetInt32("ModelVersion"),
            RerunOf = row.GetString("RerunOf"),
            EndedAt = row.GetDateTimeOffset("EndedAt"),
            Metrics = RunRows.Read<Dictionary<string, double>>(row.GetString("Metrics")) ?? [],
            Tags = Tags(row),
            Description = row.GetString("Description"),
        };
    }

    /// <summary>A run with its report, rebuilt from the index row, the run's rows and its documents.</summary>
    public static async Task<RunView> ReadAsync(TableEntity row, IReadOnlyList<TableEntity> children, Func<string, Task<string?>> readDocument)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(children);
        ArgumentNullException.ThrowIfNull(readDocument);
        var summary = Summary(row);
        var steps = children.Where(c => c.RowKey.StartsWith(RunRows.StepPrefix, StringComparison.Ordinal)).OrderBy(c => c.RowKey, StringComparer.Ordinal)
            .Select(c => RunRows.Read<RunStep>(c.GetString(RunRows.Document))!).ToList();
        var candidates = children.Where(c => c.RowKey.StartsWith(RunRows.CandidatePrefix, StringComparison.Ordinal)).OrderBy(c => c.RowKey, StringComparer.Ordinal)
            .Select(c => RunRows.Read<CandidateOutcome>(c.GetString(RunRows.Document))!).ToList();
        var dataset = row.GetString("DatasetPath") is { } datasetPath ? RunRows.Read<DatasetSummary>(await readDocument(datasetPath).ConfigureAwait(false)) : null;
        var evaluation = row.GetString("EvaluationPath") is { } evaluationPath ? RunRows.Read<EvaluationOutcome>(await readDocument(evaluationPath).ConfigureAwait(false)) : null;
        var report = new RunReport
        {
            RunId = summary.Id,
            Project = summary.Project!,
            Trigger = summary.Trigger ?? string.Empty,
            CorrelationId = row.GetString("CorrelationId"),
            RequestedBy = summary.RequestedBy,
            Reason = summary.Reason,
            RerunOf = summary.RerunOf,
            Outcome = summary.Status,
            Steps = steps,
            Dataset = dataset,
            Candidates = candidates,
            Evaluation = evaluation,
            ModelVersion = summary.ModelVersion,
            Promotion = row.GetString("Promotion"),
            FailureReason = summary.FailureReason,
        };
        return summary with { Report = report };
    }

    public static IReadOnlyDictionary<string, string> Tags(TableEntity row) =>
        RunRows.Read<Dictionary<string, string>>(row.GetString("Tags")) ?? new Dictionary<string, string>(StringComparer.Ordinal);
}
