namespace Serverless.Monitoring.Stores;

/// <summary>A stored webhook subscription as the admin API shows it: never with its secret.</summary>
public sealed record WebhookSubscriptionRecord(string Id, Uri Url, IReadOnlyList<string> EventTypes, DateTimeOffset CreatedAt);
