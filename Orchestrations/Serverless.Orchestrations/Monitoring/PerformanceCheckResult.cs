using Serverless.Monitoring.Performance;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>The outcome of one live performance check: the report (or why none), the alert and the retrain decision.</summary>
public sealed record PerformanceCheckResult(
    string Model,
    PerformanceReport? Report,
    string? Skipped,
    MonitoringAlert? Alert = null,
    RetrainDecision? Retrain = null);
