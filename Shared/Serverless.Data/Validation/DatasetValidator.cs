using Serverless.Domain.Datasets;

namespace Serverless.Data.Validation;

/// <summary>
/// Checks a typed dataset against the project spec and the previous version's schema. Errors (the version must
/// not be trained on): too few rows, label absent or with missing values, one class, too many missing values in a
/// used column, a spec expectation violated, a feature equal to the label, a breaking schema change, no features.
/// Warnings: constant and id-like columns (dropped from the features), duplicate rows, class imbalance, added columns,
/// too many missing values in an unused column.
/// Per-column work (missing values, feature checks, row hashes) runs on up to
/// <see cref="DatasetIngestionOptions.MaxDegreeOfParallelism"/> threads; issues are reported in column order whatever it is.
/// </summary>
public sealed class DatasetValidator(DatasetIngestionOptions options)
{
    public ValidationOutcome Validate(ValidationInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var issues = new IssueCollector(options.ExampleRows);
        var frame = input.Frame;
        issues.Errors.AddRange(input.TypingIssues);

        if (frame.RowCount < input.Spec.Validation.MinRows)
        {
            issues.Error(ValidationRules.TooFewRows, null,
                $"The dataset has {frame.RowCount} rows; the project needs at least {input.Spec.Validation.MinRows} (validation.minRows).");
        }

        new LabelChecks(options, issues).Check(input);
        ColumnExpectationChecks.Check(input, issues);
        SliceColumnChecks.Check(input, issues);
        CheckMissingFractions(input, issues, options.MaxDegreeOfParallelism);
        var features = new FeatureQualityChecks(issues, options.MaxDegreeOfParallelism).Check(input);
        SchemaChangeCheck.Check(input, issues);
        DuplicateRowCheck.Check(frame, issues, options.MaxDegreeOfParallelism);

        if (features.Count == 0 && input.Label is not null)
        {
            issues.Error(ValidationRules.NoFeatures, null, "No usable feature columns remain (all are the label, ignored, text, datetime, constant or id-like).");
        }

        return new ValidationOutcome(issues.ToReport(), features);
    }

    private static void CheckMissingFractions(ValidationInput input, IssueCollector issues, int maxDegreeOfParallelism)
    {
        var max = input.Spec.Validation.MaxMissingFraction;
        var columns = input.Frame.Columns.Where(c => c.Name != input.Label).ToList();
        var missingByColumn = ColumnParallel.Map(columns, maxDegreeOfParallelism, c => MissingRows(c).ToList());
        for (var c = 0; c < columns.Count; c++)
        {
            var column = columns[c];
            var missing = missingByColumn[c];
            var fraction = input.Frame.RowCount == 0 ? 0 : (double)missing.Count / input.Frame.RowCount;
            if (fraction <= max)
            {
                continue;
            }

            var message = $"Column '{column.Name}' is missing in {fraction:P1} of rows ({missing.Count} of {input.Frame.RowCount}); at most {max:P1} is allowed (validation.maxMissingFraction).";
            if (input.CandidateFeatures.Contains(column.Name, StringComparer.Ordinal))
            {
                issues.Error(ValidationRules.MissingFraction, column.Name, message, missing);
            }
            else
            {
                issues.Warning(ValidationRules.MissingFraction, column.Name, message + " It is not a feature.", missing);
            }
        }
    }

    internal static IEnumerable<int> MissingRows(FrameColumn column)
    {
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i))
            {
                yield return i;
            }
        }
    }
}
