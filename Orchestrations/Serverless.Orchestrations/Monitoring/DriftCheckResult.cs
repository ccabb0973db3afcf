using Serverless.Monitoring.Drift;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring;
using Serverless.Serving.PredictionLogging;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>The outcome of one drift check: the stored report (or why none was computed), the alert and the retrain decision.</summary>
public sealed record DriftCheckResult(
    string Model,
    DriftReport? Report,
    StoredDriftReport? Stored,
    string? Skipped,
    MonitoringAlert? Alert = null,
    RetrainDecision? Retrain = null);
