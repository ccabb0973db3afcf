namespace Serverless.Domain.Projects;

/// <summary>The label column of a project without a <c>label</c> in its spec: <c>label</c>, else <c>target</c>, else the last column.</summary>
public static class InferredLabel
{
    /// <returns>The column's name; null when there are no columns.</returns>
    public static string? From(IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        return columns.FirstOrDefault(c => c.Equals("label", StringComparison.OrdinalIgnoreCase))
            ?? columns.FirstOrDefault(c => c.Equals("target", StringComparison.OrdinalIgnoreCase))
            ?? (columns.Count > 0 ? columns[^1] : null);
    }
}
