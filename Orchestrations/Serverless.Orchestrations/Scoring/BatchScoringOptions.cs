namespace Serverless.Orchestrations.Scoring;

/// <summary>Batch scoring settings (section <c>Scoring</c>).</summary>
public sealed class BatchScoringOptions
{
    public const string Section = "Scoring";

    /// <summary>Data rows per chunk activity.</summary>
    public int ChunkRows { get; set; } = 50_000;

    /// <summary>Chunks scored at the same time.</summary>
    public int Parallelism { get; set; } = 4;

    /// <summary>The alias whose version scores a file (read once, at the start of its run).</summary>
    public string Alias { get; set; } = "production";
}
