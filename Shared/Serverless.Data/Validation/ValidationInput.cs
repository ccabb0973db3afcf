using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.Data.Validation;

/// <summary>What validation looks at: the typed frame, what was resolved from the spec, and the previous version's schema.</summary>
/// <param name="Label">The resolved label column; null when it is not in the dataset.</param>
/// <param name="Task">The resolved task; null when there is no label.</param>
/// <param name="CandidateFeatures">Features before constant and id-like columns are dropped.</param>
/// <param name="TypingIssues">Values that did not fit a declared column type.</param>
public sealed record ValidationInput(
    TabularFrame Frame,
    ProjectSpec Spec,
    string? Label,
    TaskKind? Task,
    IReadOnlyList<string> CandidateFeatures,
    DatasetSchema? PreviousSchema,
    IReadOnlyList<ValidationIssue> TypingIssues);

/// <summary>The report and the features that survived it.</summary>
public sealed record ValidationOutcome(ValidationReport Report, IReadOnlyList<string> Features);
