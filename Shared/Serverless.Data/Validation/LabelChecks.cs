using Serverless.Data.Inference;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.Data.Validation;

/// <summary>The label exists, has no missing values, fits the task, and (for classification) has two or more classes that are not too imbalanced.</summary>
internal sealed class LabelChecks(DatasetIngestionOptions options, IssueCollector issues)
{
    public void Check(ValidationInput input)
    {
        if (input.Label is null)
        {
            var named = input.Spec.Label is null ? "No label column was found" : $"The label column '{input.Spec.Label}' (project spec 'label') is not in the dataset";
            issues.Error(ValidationRules.LabelMissing, input.Spec.Label,
                $"{named}; columns are: {string.Join(", ", input.Frame.Columns.Select(c => c.Name))}.");
            return;
        }

        var label = input.Frame[input.Label];
        var missing = DatasetValidator.MissingRows(label).ToList();
        if (missing.Count > 0)
        {
            issues.Error(ValidationRules.LabelHasMissingValues, label.Name,
                $"The label '{label.Name}' is missing in {missing.Count} row(s), first in row {missing[0] + 1}; every row needs a label.", missing);
        }

        if (input.Task == TaskKind.Regression)
        {
            if (label is not NumericColumn)
            {
                issues.Error(ValidationRules.TaskMismatch, label.Name, $"The task is regression but the label '{label.Name}' is {label.Kind.ToString().ToLowerInvariant()}, not numeric.");
            }

            return;
        }

        var classes = ClassCounts.Of(label);
        if (classes.Count < 2)
        {
            issues.Error(ValidationRules.SingleClass, label.Name,
                $"The label '{label.Name}' has {classes.Count} class{(classes.Count == 1 ? $" ('{classes[0].Key}')" : "es")}; classification needs at least two.");
            return;
        }

        if (input.Task == TaskKind.Binary && classes.Count > 2)
        {
            issues.Error(ValidationRules.TaskMismatch, label.Name,
                $"The task is binary but the label '{label.Name}' has {classes.Count} classes ({string.Join(", ", classes.Take(10).Select(c => c.Key))}).");
        }

        var total = classes.Sum(c => c.Value);
        var minority = classes.MinBy(c => c.Value);
        if ((double)minority.Value / total < options.MinorityClassFraction)
        {
            issues.Warning(ValidationRules.ClassImbalance, label.Name,
                $"Class '{minority.Key}' of '{label.Name}' has only {minority.Value} of {total} rows ({(double)minority.Value / total:P1}); metrics on it will be noisy.");
        }
    }
}
