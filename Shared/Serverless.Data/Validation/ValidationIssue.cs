namespace Serverless.Data.Validation;

/// <summary>
/// One finding of dataset validation. <see cref="Rule"/> is a stable id (see <see cref="ValidationRules"/>);
/// <see cref="ExampleRows"/> are 1-based data rows (row 1 is the first row after the header).
/// </summary>
public sealed record ValidationIssue(string Rule, string? Column, string Message, IReadOnlyList<int> ExampleRows);
