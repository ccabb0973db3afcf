namespace Serverless.Hosting.Background;

/// <summary>Where the host keeps its own state, as Azure Functions does.</summary>
public static class HostStorageNames
{
    /// <summary>Container for blob receipts, timer status and singleton locks.</summary>
    public const string HostsContainer = "azure-webjobs-hosts";

    /// <summary>Queue for blobs that failed too often.</summary>
    public const string PoisonBlobQueue = "webjobs-blobtrigger-poison";
}
