namespace Serverless.Monitoring.Statistics;

/// <summary>The outcome of one statistical test or distance: the statistic and, for hypothesis tests, the p-value.</summary>
public sealed record StatisticalTestResult(double Statistic, double? PValue);
