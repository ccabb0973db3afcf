using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Inference;

/// <summary>Which column is the label: the spec's <c>label</c>, else a column named <c>label</c>, else <c>target</c>, else the last column.</summary>
public static class LabelResolver
{
    /// <returns>The label column's name; null when the spec names a column the dataset does not have.</returns>
    public static string? Resolve(IReadOnlyList<string> columns, ProjectSpec spec)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Label is not null)
        {
            return columns.Contains(spec.Label, StringComparer.Ordinal) ? spec.Label : null;
        }

        return InferredLabel.From(columns) ?? columns[^1];
    }

    public static string? Resolve(TabularFrame frame, ProjectSpec spec) =>
        Resolve(frame?.Columns.Select(c => c.Name).ToList() ?? throw new ArgumentNullException(nameof(frame)), spec);
}
