using System.Text.Json;
using Serverless.Registry;
using Serverless.Storage;

namespace Serverless.Orchestrations.Training.Records;

/// <summary>
/// The rows of the run store: a run's index row (searchable columns) and its step, candidate and evaluation rows, each
/// carrying its full JSON document so fields added to steps, candidates or evaluations flow through without a schema change.
/// </summary>
internal static class RunRows
{
    public const string Document = "Document";
    public const string StepPrefix = "step-";
    public const string CandidatePrefix = "candidate-";
    public const string Evaluation = "evaluation";

    private static readonly string[] FinishedStatuses = [RunOutcomes.Promoted, RunOutcomes.Registered, RunOutcomes.Rejected, RunOutcomes.Failed, RunOutcomes.ApprovalRejected, RunOutcomes.ApprovalTimedOut, "Terminated"];

    public static bool IsFinished(string? status) => status is not null && FinishedStatuses.Contains(status);

    /// <summary>Whether the run's orchestration has ended (its last write said so): its record is final.</summary>
    public static bool HasEnded(string? runtimeStatus) => runtimeStatus is "Completed" or "Failed" or "Terminated";

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, RegistryJson.Options);

    public static T? Read<T>(string? json) => json is null ? default : JsonSerializer.Deserialize<T>(json, RegistryJson.Options);

    public static string StepKey(int index) => StepPrefix + index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    public static string CandidateKey(int index) => CandidatePrefix + index.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The metrics a run is searched and ordered by: the evaluated model's on the test split, else the best validation ones.</summary>
    public static IReadOnlyDictionary<string, double> Metrics(RunReport report)
    {
        if (report.Evaluation is { } evaluation)
        {
            return evaluation.Challenger;
        }

        return report.Candidates.Where(c => c.Error is null && c.Metrics.Count > 0).Select(c => c.Metrics).FirstOrDefault() ?? new Dictionary<string, double>();
    }

    /// <summary>The child rows of one write: every step, every candidate, the evaluation summary.</summary>
    public static List<TableEntity> Children(string runId, RunReport report, string? evaluationPath)
    {
        var rows = new List<TableEntity>();
        for (var i = 0; i < report.Steps.Count; i++)
        {
            var step = report.Steps[i];
            rows.Add(new TableEntity(runId, StepKey(i), new Dictionary<string, object?>
            {
                ["Name"] = step.Name,
                ["Status"] = step.Status,
                [Document] = Json(step),
            }));
        }

        foreach (var candidate in report.Candidates)
        {
            rows.Add(new TableEntity(runId, CandidateKey(candidate.Index), new Dictionary<string, object?>
            {
                ["Trainer"] = candidate.Trainer,
                ["Index"] = candidate.Index,
                ["Metrics"] = Json(candidate.Metrics),
                [Document] = Json(candidate),
            }));
        }

        if (report.Evaluation is { } evaluation)
        {
            rows.Add(new TableEntity(runId, Evaluation, new Dictionary<string, object?>
            {
                ["Metric"] = evaluation.Metric,
                ["Passed"] = evaluation.Passed,
                ["ChampionVersion"] = evaluation.ChampionVersion,
                ["Gates"] = Json(evaluation.Gates),
                ["Path"] = evaluationPath,
            }));
        }

        return rows;
    }
}
