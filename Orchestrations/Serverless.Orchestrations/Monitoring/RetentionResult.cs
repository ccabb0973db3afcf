namespace Serverless.Orchestrations.Monitoring;

/// <summary>What one housekeeping pass removed.</summary>
public sealed record RetentionResult(int PredictionSegments, int FeedbackRows, int Orchestrations, IReadOnlyList<string> OrphanedRunFolders, int WebhookDeliveryRecords = 0);
