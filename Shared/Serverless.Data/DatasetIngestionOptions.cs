using Serverless.Data.Reading;

namespace Serverless.Data;

/// <summary>Thresholds of type inference, validation and profiling (bind from configuration section <c>Datasets</c>).</summary>
public sealed record DatasetIngestionOptions
{
    public const string SectionName = "Datasets";

    /// <summary>A string column is categorical when it has at most this many distinct values…</summary>
    public int CategoricalMaxDistinct { get; init; } = 50;

    /// <summary>…and at most this fraction of its present values are distinct; otherwise it is text.</summary>
    public double CategoricalMaxDistinctFraction { get; init; } = 0.5;

    /// <summary>A numeric label with integer values and 3 to this many distinct values is multiclass (else regression).</summary>
    public int MulticlassMaxDistinct { get; init; } = 10;

    /// <summary>A class holding less than this fraction of rows is reported as imbalance.</summary>
    public double MinorityClassFraction { get; init; } = 0.1;

    /// <summary>Raw values kept per numeric column in the profile, for KS / Wasserstein drift tests.</summary>
    public int ReferenceSampleSize { get; init; } = 1000;

    public int HistogramBins { get; init; } = 20;

    /// <summary>Categories listed by name in the profile; the rest are counted as "other".</summary>
    public int TopCategories { get; init; } = 100;

    /// <summary>Seed of the reference sample (fixed so the same data gives the same profile).</summary>
    public ulong ProfileSeed { get; init; } = 0x5EED_0F_D21F7UL;

    /// <summary>Row numbers quoted as examples in each report entry.</summary>
    public int ExampleRows { get; init; } = 5;

    /// <summary>
    /// Threads that type, validate and profile columns at once (columns are independent); 1 runs them one after another.
    /// Results do not depend on it. Default: one per core.
    /// </summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>What one upload may hold (section <c>Datasets:Limits</c>); over a limit the file is refused as it is read.</summary>
    public DatasetLimits Limits { get; init; } = new();

    public static DatasetIngestionOptions Default { get; } = new();

    /// <summary>The settings that are out of range, each naming its setting; empty when all are fine.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        Check(CategoricalMaxDistinct >= 2, $"{SectionName}:{nameof(CategoricalMaxDistinct)} must be at least 2");
        Check(CategoricalMaxDistinctFraction is > 0 and <= 1, $"{SectionName}:{nameof(CategoricalMaxDistinctFraction)} must be in (0, 1]");
        Check(MulticlassMaxDistinct >= 2, $"{SectionName}:{nameof(MulticlassMaxDistinct)} must be at least 2");
        Check(MinorityClassFraction is >= 0 and < 1, $"{SectionName}:{nameof(MinorityClassFraction)} must be in [0, 1)");
        Check(ReferenceSampleSize >= 1, $"{SectionName}:{nameof(ReferenceSampleSize)} must be at least 1");
        Check(HistogramBins >= 1, $"{SectionName}:{nameof(HistogramBins)} must be at least 1");
        Check(TopCategories >= 1, $"{SectionName}:{nameof(TopCategories)} must be at least 1");
        Check(MaxDegreeOfParallelism >= 1, $"{SectionName}:{nameof(MaxDegreeOfParallelism)} must be at least 1");
        Check(ExampleRows >= 1, $"{SectionName}:{nameof(ExampleRows)} must be at least 1");
        if (Limits is null)
        {
            problems.Add($"{DatasetLimits.SectionName} must be set");
        }
        else
        {
            problems.AddRange(Limits.Validate());
        }

        return problems;

        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }
    }
}
