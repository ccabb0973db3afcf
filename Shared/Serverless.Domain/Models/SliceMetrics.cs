namespace Serverless.Domain.Models;

/// <summary>The test metrics of one model per value of one column (a slice each), for fairness checks.</summary>
public sealed record SliceMetrics(string Column, IReadOnlyList<SliceValueMetrics> Values);

/// <summary>One slice: the test rows whose column holds <see cref="Value"/> (<c>(missing)</c> for empty), and their metrics.</summary>
public sealed record SliceValueMetrics(string Value, long Rows, IReadOnlyDictionary<string, double> Metrics);
