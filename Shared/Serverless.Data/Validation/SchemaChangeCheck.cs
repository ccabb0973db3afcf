using Serverless.Domain.Datasets;

namespace Serverless.Data.Validation;

/// <summary>
/// Compares with the project's previous dataset schema: a column removed or whose kind changed is a breaking change
/// (error) unless the spec now ignores it; a label that was not in the previous schema, or changed kind, is breaking;
/// added columns are a warning.
/// </summary>
internal static class SchemaChangeCheck
{
    public static void Check(ValidationInput input, IssueCollector issues)
    {
        if (input.PreviousSchema is not { } previous)
        {
            return;
        }

        var current = input.Frame.Schema;
        var ignored = input.Spec.Ignore.ToHashSet(StringComparer.Ordinal);
        foreach (var before in previous.Columns)
        {
            if (ignored.Contains(before.Name))
            {
                continue;
            }

            var now = current.Find(before.Name);
            if (now is null)
            {
                issues.Error(ValidationRules.SchemaBreakingChange, before.Name,
                    $"Column '{before.Name}' was in the previous dataset version but is missing now (add it back, or list it in 'ignore').");
            }
            else if (now.Kind != before.Kind)
            {
                issues.Error(ValidationRules.SchemaBreakingChange, before.Name,
                    $"Column '{before.Name}' changed from {Describe(before.Kind)} to {Describe(now.Kind)} since the previous dataset version.");
            }
        }

        if (input.Label is not null && previous.Find(input.Label) is null)
        {
            issues.Error(ValidationRules.SchemaBreakingChange, input.Label,
                $"The label '{input.Label}' was not a column of the previous dataset version: the label changed.");
        }

        foreach (var added in current.Columns.Where(c => previous.Find(c.Name) is null && c.Name != input.Label))
        {
            issues.Warning(ValidationRules.SchemaAddedColumn, added.Name, $"Column '{added.Name}' is new since the previous dataset version.");
        }
    }

    private static string Describe(ColumnKind kind) => kind.ToString().ToLowerInvariant();
}
