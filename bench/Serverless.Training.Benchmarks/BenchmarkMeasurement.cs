namespace Serverless.Training.Benchmarks;

/// <summary>One side of the comparison, as the measuring child process reports it (one JSON line on stdout).</summary>
public sealed record BenchmarkMeasurement(
    string Side,
    double Seconds,
    long PeakWorkingSetBytes,
    double Auc,
    double Accuracy,
    IReadOnlyList<StepTiming> Steps);

/// <summary>Where time went: a pipeline step (from the run report), a phase inside one, or a phase of a baseline.</summary>
public sealed record StepTiming(string Name, double Seconds, bool IsPhase = false);
