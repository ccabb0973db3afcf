using Serverless.Domain.Datasets;

namespace Serverless.Data.Validation;

/// <summary>
/// Feature checks: a feature equal to the label is leakage (error); constant columns and id-like columns (all values
/// distinct whole numbers or codes, with an id-like name or increasing values) are dropped with a warning unless the
/// spec lists them in <c>features</c> explicitly (then only warned about).
/// </summary>
internal sealed class FeatureQualityChecks(IssueCollector issues, int maxDegreeOfParallelism)
{
    private const int MinRowsForIdDetection = 20;

    public List<string> Check(ValidationInput input)
    {
        var kept = new List<string>();
        var explicitFeatures = input.Spec.Features is not null;
        FrameColumn? label = input.Label is null ? null : input.Frame[input.Label];
        var names = input.CandidateFeatures;
        var verdicts = ColumnParallel.Map(names, maxDegreeOfParallelism, name => Judge(input.Frame[name], label));
        for (var f = 0; f < names.Count; f++)
        {
            var name = names[f];
            var (leak, problem) = verdicts[f];
            if (leak)
            {
                issues.Error(ValidationRules.LabelLeakage, name, $"Feature '{name}' holds exactly the label '{label!.Name}' values (leakage); remove it or add it to 'ignore'.");
                continue;
            }

            if (problem is null)
            {
                kept.Add(name);
            }
            else if (explicitFeatures)
            {
                issues.Warning(problem.Value.Rule, name, $"Feature '{name}' is listed in 'features' but {problem.Value.Reason}.");
                kept.Add(name);
            }
            else
            {
                issues.Drop(name, problem.Value.Rule, problem.Value.Reason);
            }
        }

        return kept;
    }

    /// <summary>One feature's verdict (no shared state: features are judged in parallel).</summary>
    private static (bool Leak, (string Rule, string Reason)? Problem) Judge(FrameColumn column, FrameColumn? label)
    {
        if (label is not null && SameValues(column, label))
        {
            return (true, null);
        }

        var problem = IsConstant(column) ? (ValidationRules.ConstantColumn, "it has a single value in every row")
            : IsIdLike(column) ? (ValidationRules.IdLikeColumn, "every row has a different value, like an identifier")
            : ((string Rule, string Reason)?)null;
        return (false, problem);
    }

    private static bool SameValues(FrameColumn feature, FrameColumn label)
    {
        if (feature is NumericColumn a && label is NumericColumn b)
        {
            return a.Values.AsSpan().SequenceEqual(b.Values);
        }

        for (var i = 0; i < feature.Length; i++)
        {
            if (!string.Equals(feature.Format(i), label.Format(i), StringComparison.Ordinal))
            {
                return false;
            }
        }

        return feature.Length > 0;
    }

    private static bool IsConstant(FrameColumn column)
    {
        if (column is NumericColumn numeric)
        {
            // Equal bits are equal "R" texts (0 and -0 differ in both); missing (NaN) values are skipped.
            long? firstBits = null;
            foreach (var value in numeric.Values)
            {
                if (double.IsNaN(value))
                {
                    continue;
                }

                var bits = BitConverter.DoubleToInt64Bits(value);
                firstBits ??= bits;
                if (bits != firstBits)
                {
                    return false;
                }
            }

            return true;
        }

        string? first = null;
        for (var i = 0; i < column.Length; i++)
        {
            if (column.IsMissing(i))
            {
                continue;
            }

            var value = column.Format(i);
            if (first is null)
            {
                first = value;
            }
            else if (!string.Equals(first, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIdLike(FrameColumn column)
    {
        if (column.Length < MinRowsForIdDetection)
        {
            return false;
        }

        var idName = column.Name.Equals("id", StringComparison.OrdinalIgnoreCase)
            || column.Name.EndsWith("_id", StringComparison.OrdinalIgnoreCase)
            || column.Name.EndsWith("Id", StringComparison.Ordinal)
            || column.Name.EndsWith("key", StringComparison.OrdinalIgnoreCase)
            || column.Name.Equals("uuid", StringComparison.OrdinalIgnoreCase);
        switch (column)
        {
            case NumericColumn { Kind: ColumnKind.Numeric } numeric:
                var values = numeric.Values;
                if (values.Any(v => double.IsNaN(v) || v != Math.Floor(v)) || values.Distinct().Count() != values.Length)
                {
                    return false;
                }

                var increasing = true;
                for (var i = 1; i < values.Length && increasing; i++)
                {
                    increasing = values[i] > values[i - 1];
                }

                return idName || increasing;
            case TextColumn text:
                return text.Values.All(v => v is not null) && text.Values.Distinct(StringComparer.Ordinal).Count() == text.Values.Length;
            default:
                return false;
        }
    }
}
