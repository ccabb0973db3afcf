namespace Serverless.Orchestrations.Training.Records;

/// <summary>
/// Where the run store keeps runs: <see cref="Runs"/> is the searchable index (one row per run, partitioned by project),
/// <see cref="RunRecords"/> holds each run's step, candidate and evaluation rows (partitioned by run id), and the
/// big documents (spec snapshot, dataset summary, evaluation) are blobs under <see cref="BlobFolder"/> in <see cref="Container"/>.
/// </summary>
public sealed record RunStoreNames
{
    public string Runs { get; init; } = "Runs";

    public string RunRecords { get; init; } = "RunRecords";

    /// <summary>The product's <c>artifacts</c> container.</summary>
    public string Container { get; init; } = "artifacts";

    /// <summary>The folder of run documents, <c>run-records/{runId}/</c>; never an orphaned run folder for housekeeping.</summary>
    public string BlobFolder { get; init; } = "run-records";

    public static RunStoreNames Default { get; } = new();

    public string Document(string runId, string name) => $"{BlobFolder}/{runId}/{name}.json";
}
