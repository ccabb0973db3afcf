namespace Serverless.Monitoring.Performance;

/// <summary>The evaluation metric a model version was registered with: the bar live quality is held to.</summary>
public sealed record PerformanceBaseline(PerformanceMetric Metric, double Value);
