namespace Serverless.Hosting.Blobs;

/// <summary>What is recorded about one function's processing of one blob version.</summary>
public enum BlobReceiptStatus
{
    /// <summary>Failed fewer times than the poison threshold: will be retried.</summary>
    Failed,

    /// <summary>Processed: never again for this ETag.</summary>
    Completed,

    /// <summary>Failed too often: sent to the poison queue, never retried.</summary>
    Poisoned,
}

/// <summary>A blob receipt's content.</summary>
public sealed record BlobReceipt(BlobReceiptStatus Status, int Failures, DateTimeOffset Updated, string? InvocationId)
{
    public bool IsFinal => Status is BlobReceiptStatus.Completed or BlobReceiptStatus.Poisoned;
}
