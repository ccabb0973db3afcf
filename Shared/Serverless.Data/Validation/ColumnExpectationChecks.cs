using System.Globalization;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Validation;

/// <summary>The spec's <c>validation.columns</c>: each named column exists, is within min/max, has no missing values when required, and holds only the allowed values.</summary>
internal static class ColumnExpectationChecks
{
    public static void Check(ValidationInput input, IssueCollector issues)
    {
        foreach (var (name, expectation) in input.Spec.Validation.Columns)
        {
            if (!input.Frame.Contains(name))
            {
                issues.Error(ValidationRules.ColumnMissing, name, $"Column '{name}' (validation.columns.{name}) is not in the dataset.");
                continue;
            }

            var column = input.Frame[name];
            if (expectation.Required)
            {
                var missing = DatasetValidator.MissingRows(column).ToList();
                if (missing.Count > 0)
                {
                    issues.Error(ValidationRules.RequiredMissing, name,
                        $"Column '{name}' is required but missing in {missing.Count} row(s), first in row {missing[0] + 1}.", missing);
                }
            }

            if (column is NumericColumn numeric && (expectation.Min is not null || expectation.Max is not null))
            {
                CheckRange(numeric, expectation.Min ?? double.NegativeInfinity, expectation.Max ?? double.PositiveInfinity, issues);
            }

            if (expectation.Values is { } allowed)
            {
                CheckAllowed(column, allowed, issues);
            }
        }
    }

    private static void CheckRange(NumericColumn column, double min, double max, IssueCollector issues)
    {
        var outside = new List<int>();
        for (var i = 0; i < column.Values.Length; i++)
        {
            var value = column.Values[i];
            if (!double.IsNaN(value) && (value < min || value > max))
            {
                outside.Add(i);
            }
        }

        if (outside.Count > 0)
        {
            var first = outside[0];
            issues.Error(ValidationRules.OutOfRange, column.Name,
                $"Column '{column.Name}' must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)} but {outside.Count} value(s) are not, e.g. {column.Format(first)} in row {first + 1}.",
                outside);
        }
    }

    private static void CheckAllowed(FrameColumn column, IReadOnlyList<string> allowed, IssueCollector issues)
    {
        var set = allowed.ToHashSet(StringComparer.Ordinal);
        var unknown = new List<int>();
        for (var i = 0; i < column.Length; i++)
        {
            if (!column.IsMissing(i) && !set.Contains(column.Format(i)))
            {
                unknown.Add(i);
            }
        }

        if (unknown.Count > 0)
        {
            var first = unknown[0];
            var distinct = unknown.Select(column.Format).Distinct(StringComparer.Ordinal).Take(5);
            issues.Error(ValidationRules.UnknownCategory, column.Name,
                $"Column '{column.Name}' allows only {string.Join(", ", allowed)} but has {string.Join(", ", distinct.Select(v => $"'{v}'"))} ({unknown.Count} row(s), first in row {first + 1}).",
                unknown);
        }
    }
}
