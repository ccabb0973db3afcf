using Serverless.Registry;

namespace Serverless.Orchestrations.Monitoring;

/// <summary>
/// Monitoring asks for a retrain of <paramref name="Project"/>: what it found (<paramref name="Trigger"/>: <c>drift</c>
/// or <c>degradation</c>, and <paramref name="Reason"/> in words) on the <paramref name="Monitored"/> version, whose
/// labelled feedback joins the training data.
/// </summary>
public sealed record RetrainRequest(string Project, ModelVersion Monitored, string Trigger, string Reason, string? CorrelationId);
