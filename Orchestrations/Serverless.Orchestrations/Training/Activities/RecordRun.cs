using Microsoft.DurableTask;
using Serverless.Orchestrations.Training.Records;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Writes the run's record as it stands to the <see cref="RunStore"/>. Idempotent: a retried or replayed write of the same
/// sequence, or an older one, changes nothing.
/// </summary>
public sealed class RecordRun(RunStore store) : TaskActivity<RunRecordUpdate, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, RunRecordUpdate input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return store.RecordAsync(input, CancellationToken.None);
    }
}
