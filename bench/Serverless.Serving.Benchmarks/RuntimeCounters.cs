using System.Globalization;

namespace Serverless.Serving.Benchmarks;

/// <summary>
/// A host's runtime counters over one wrk run: bytes allocated per second, GCs by generation (<c>gen0</c>, <c>gen1</c>,
/// <c>gen2</c>) and the seconds the process was paused for them over <paramref name="Seconds"/>.
/// </summary>
public sealed record RuntimeCounters(double BytesPerSecond, IReadOnlyDictionary<string, double> CollectionsByGeneration, double PauseSeconds, double Seconds)
{
    public double Collections => CollectionsByGeneration.Values.Sum();

    /// <summary>Share of the wall-clock time the host was paused for GCs.</summary>
    public double PauseShare => Seconds > 0 ? PauseSeconds / Seconds : 0;

    /// <summary>GCs per second by generation, e.g. <c>gen0 12.1, gen1 3.0, gen2 0.4</c>.</summary>
    public string PerSecondByGeneration() => CollectionsByGeneration.Count == 0
        ? "?"
        : string.Join(", ", CollectionsByGeneration.Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Value / Seconds:0.0}")));
}
