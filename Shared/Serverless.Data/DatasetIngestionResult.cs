using Serverless.Data.Profiling;
using Serverless.Data.Splitting;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.Data;

/// <summary>
/// A dataset version as ingested. <see cref="Label"/> and <see cref="Task"/> are null only when no label column
/// exists (then <see cref="Report"/> has a <c>label-missing</c> error). Train only when <see cref="ValidationReport.IsValid"/>.
/// </summary>
/// <param name="ContentHash">Lowercase hex SHA-256 of the uploaded bytes (as uploaded: compressed for .gz).</param>
/// <param name="Classes">Sorted distinct label values for classification; empty for regression.</param>
public sealed record DatasetIngestionResult(
    string FileName,
    string ContentHash,
    long ByteCount,
    TabularFrame Frame,
    DatasetSchema Schema,
    string? Label,
    TaskKind? Task,
    IReadOnlyList<string> Features,
    IReadOnlyList<string> Classes,
    ValidationReport Report,
    DatasetProfile Profile)
{
    public int RowCount => Frame.RowCount;

    public int ColumnCount => Frame.Columns.Count;

    /// <summary>The train/validation/test rows (stratified by the label for classification).</summary>
    public DatasetSplit Split(SplitSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var strata = Label is not null && Task is TaskKind.Binary or TaskKind.Multiclass ? Frame[Label] : null;
        return DatasetSplitter.Split(Frame.RowCount, strata, spec);
    }
}
