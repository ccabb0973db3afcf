namespace Serverless.Storage;

/// <summary>A message received from a queue; <see cref="PopReceipt"/> proves the receiver holds it.</summary>
public sealed record QueueMessage(
    string MessageId,
    string PopReceipt,
    string Body,
    long DequeueCount,
    DateTimeOffset? InsertedOn,
    DateTimeOffset? NextVisibleOn);
