namespace Serverless.Orchestrations.Training.Records;

/// <summary>
/// One write of a run's record, sent by the orchestrator through <see cref="Activities.RecordRun"/>: the whole report as
/// it stands. <see cref="Sequence"/> counts the writes of one execution (<see cref="ExecutionId"/>) so a retried or late
/// write never replaces a newer one; a new execution of the same run id (after its instance was purged) takes the record over.
/// </summary>
/// <param name="SpecJson">The exact spec the run uses, sent once (the first write after ingest), kept as the run's snapshot.</param>
public sealed record RunRecordUpdate(
    string ExecutionId,
    int Sequence,
    string RuntimeStatus,
    RunReport Report,
    string? SpecJson = null);
