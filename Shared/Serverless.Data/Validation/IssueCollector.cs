namespace Serverless.Data.Validation;

/// <summary>Collects errors, warnings and dropped columns while the checks run.</summary>
internal sealed class IssueCollector(int exampleRows)
{
    public List<ValidationIssue> Errors { get; } = [];

    public List<ValidationIssue> Warnings { get; } = [];

    public List<DroppedColumn> Dropped { get; } = [];

    public void Error(string rule, string? column, string message, IEnumerable<int>? zeroBasedRows = null) =>
        Errors.Add(new ValidationIssue(rule, column, message, Rows(zeroBasedRows)));

    public void Warning(string rule, string? column, string message, IEnumerable<int>? zeroBasedRows = null) =>
        Warnings.Add(new ValidationIssue(rule, column, message, Rows(zeroBasedRows)));

    public void Drop(string column, string rule, string reason)
    {
        Dropped.Add(new DroppedColumn(column, rule, reason));
        Warning(rule, column, $"Column '{column}' is not used as a feature: {reason}.");
    }

    public ValidationReport ToReport() => new(Errors, Warnings, Dropped);

    private List<int> Rows(IEnumerable<int>? zeroBasedRows) =>
        zeroBasedRows is null ? [] : zeroBasedRows.Take(exampleRows).Select(r => r + 1).ToList();
}
