namespace Serverless.Hosting.Blobs;

/// <summary>What became of one attempt to process a blob version.</summary>
public enum BlobDispatchOutcome
{
    /// <summary>Invoked successfully now.</summary>
    Completed,

    /// <summary>A receipt says it was completed or poisoned before.</summary>
    AlreadyProcessed,

    /// <summary>Failed up to the threshold: sent to the poison queue.</summary>
    Poisoned,

    /// <summary>Another host holds its lease; try again later.</summary>
    HeldElsewhere,

    /// <summary>The host is stopping: the lease was released for another host.</summary>
    Released,
}
