namespace Serverless.Data.Validation;

/// <summary>
/// The spec's <c>slices</c>: each named column exists and is not the label (its test metrics per value would be
/// per-label-value metrics). Checked at validation so a run with a misnamed slice fails before training, not at evaluation.
/// </summary>
internal static class SliceColumnChecks
{
    public static void Check(ValidationInput input, IssueCollector issues)
    {
        foreach (var name in input.Spec.Slices)
        {
            if (!input.Frame.Contains(name))
            {
                issues.Error(ValidationRules.ColumnMissing, name, $"Column '{name}' (project spec 'slices') is not in the dataset.");
            }
            else if (string.Equals(name, input.Label, StringComparison.Ordinal))
            {
                issues.Error(ValidationRules.SliceIsLabel, name, $"Column '{name}' (project spec 'slices') is the label; slice by a feature or another column.");
            }
        }
    }
}
