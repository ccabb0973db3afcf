namespace Serverless.Quality.Benchmarks;

/// <summary>A benchmark dataset: a CSV file and its label column.</summary>
internal sealed record QualityDataset(string Name, string Path, string Label);
