using System.Text.Json.Serialization;

namespace Serverless.Data.Validation;

/// <summary>What validation found: errors stop the pipeline, warnings are shown; dropped columns are not used as features.</summary>
public sealed record ValidationReport(
    IReadOnlyList<ValidationIssue> Errors,
    IReadOnlyList<ValidationIssue> Warnings,
    IReadOnlyList<DroppedColumn> DroppedColumns)
{
    [JsonInclude]
    public bool IsValid => Errors.Count == 0;

    /// <summary>A report for a file that could not be read at all.</summary>
    public static ValidationReport Unreadable(string message, string? column, IReadOnlyList<int> rows) =>
        new([new ValidationIssue(ValidationRules.Unreadable, column, message, rows)], [], []);
}

/// <summary>A column left out of the features, and the rule that dropped it.</summary>
public sealed record DroppedColumn(string Column, string Rule, string Reason);
