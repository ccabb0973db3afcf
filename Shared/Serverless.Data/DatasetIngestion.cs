using Serverless.Data.Inference;
using Serverless.Data.Profiling;
using Serverless.Data.Reading;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.Data;

/// <summary>
/// Turns an uploaded file into a dataset version in one call: read and hash, type the columns, resolve label,
/// task and features, validate against the spec and the previous version, and profile.
/// </summary>
public sealed class DatasetIngestion(DatasetIngestionOptions options)
{
    private readonly ColumnTyper _typer = new(options);
    private readonly DatasetValidator _validator = new(options);
    private readonly DatasetProfiler _profiler = new(options);

    public DatasetIngestion() : this(DatasetIngestionOptions.Default) { }

    /// <param name="previousSchema">The schema of the project's previous dataset version, for breaking-change checks; null for the first.</param>
    /// <exception cref="DatasetFormatException">The file cannot be read at all (empty, no header, ragged rows, not UTF-8, not Parquet…) or is over one of <see cref="DatasetIngestionOptions.Limits"/>.</exception>
    public async Task<DatasetIngestionResult> IngestAsync(
        Stream content, string fileName, ProjectSpec spec, DatasetSchema? previousSchema, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var raw = await DatasetReader.ReadAsync(content, fileName, options.Limits, cancellationToken).ConfigureAwait(false);
        return Ingest(raw, spec, previousSchema);
    }

    /// <summary>The first step alone: reads (and hashes) the file within <see cref="DatasetIngestionOptions.Limits"/>.</summary>
    /// <exception cref="DatasetFormatException">The file cannot be read at all or is over one of the limits.</exception>
    public Task<RawDataset> ReadAsync(Stream content, string fileName, CancellationToken cancellationToken) =>
        DatasetReader.ReadAsync(content, fileName, options.Limits, cancellationToken);

    /// <summary>
    /// The first step alone for a file on local disk whose SHA-256 the caller computed: a plain CSV/TSV is read in row
    /// blocks on up to <see cref="DatasetIngestionOptions.MaxDegreeOfParallelism"/> threads, to what
    /// <see cref="ReadAsync"/> gives (the same columns, the same errors).
    /// </summary>
    /// <exception cref="DatasetFormatException">The file cannot be read at all or is over one of the limits.</exception>
    public Task<RawDataset> ReadLocalFileAsync(string path, string fileName, string contentHash, CancellationToken cancellationToken) =>
        DatasetReader.ReadLocalFileAsync(path, fileName, contentHash, options.Limits, options.MaxDegreeOfParallelism, cancellationToken);

    /// <summary>The steps after reading, for a file already read with <see cref="DatasetReader"/>.</summary>
    public DatasetIngestionResult Ingest(RawDataset raw, ProjectSpec spec, DatasetSchema? previousSchema)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentNullException.ThrowIfNull(spec);
        var label = LabelResolver.Resolve(raw.Columns.Select(c => c.Name).ToList(), spec);
        var typedColumns = ColumnParallel.Map(raw.Columns, options.MaxDegreeOfParallelism, column =>
        {
            spec.Validation.Columns.TryGetValue(column.Name, out var expectation);
            return _typer.Type(column, expectation?.Type, isLabel: column.Name == label);
        });
        var issues = typedColumns.SelectMany(t => t.Issues).ToList();
        var frame = new TabularFrame(typedColumns.Select(t => t.Column).ToList());
        TaskKind? task = label is null ? null : spec.Task ?? TaskInference.Infer(frame[label], options);
        var features = CandidateFeatures(frame, spec, label, issues);
        var classification = task is TaskKind.Binary or TaskKind.Multiclass;

        // The profile does not depend on the validation: both run at once (each also spreads its columns over the cores).
        var profiling = options.MaxDegreeOfParallelism > 1
            ? Task.Run(() => _profiler.Profile(frame, label, classification))
            : null;
        var outcome = _validator.Validate(new ValidationInput(frame, spec, label, task, features, previousSchema, issues));
        var classes = classification && label is not null ? ClassCounts.Of(frame[label]).Select(c => c.Key).ToList() : [];
        var profile = profiling is null ? _profiler.Profile(frame, label, classification) : profiling.GetAwaiter().GetResult();
        return new DatasetIngestionResult(raw.FileName, raw.ContentHash, raw.ByteCount, frame, frame.Schema, label, task,
            outcome.Features, classes, outcome.Report, profile);
    }

    /// <summary>The spec's <c>features</c>, else every column but the label, the ignored ones, text and datetime columns.</summary>
    private static List<string> CandidateFeatures(TabularFrame frame, ProjectSpec spec, string? label, List<ValidationIssue> issues)
    {
        if (spec.Features is { } listed)
        {
            foreach (var absent in listed.Where(f => !frame.Contains(f)))
            {
                issues.Add(new ValidationIssue(ValidationRules.ColumnMissing, absent, $"Feature '{absent}' (project spec 'features') is not in the dataset.", []));
            }

            return listed.Where(f => frame.Contains(f) && f != label).ToList();
        }

        var ignored = spec.Ignore.ToHashSet(StringComparer.Ordinal);
        return frame.Columns
            .Where(c => c.Name != label && !ignored.Contains(c.Name) && c.Kind is not (ColumnKind.Text or ColumnKind.DateTime))
            .Select(c => c.Name)
            .ToList();
    }
}
