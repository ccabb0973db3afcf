using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging;
using Serverless.Orchestrations.Training.RunSlots;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>
/// Takes the project's run slot, or queues the run for it. A slot whose holder has ended without releasing it
/// (terminated, failed, or purged: its orchestrator code never ran its release) is released on the holder's
/// behalf and handed to the oldest queued run, so a dead run frees its project within one
/// <see cref="TrainingPipeline.SlotRecheckInterval"/> of the next queued run's check.
/// </summary>
public sealed partial class AcquireRunSlot(ProjectRunSlots slots, DurableTaskClient client, TimeProvider time, ILogger<AcquireRunSlot> logger)
    : TaskActivity<RunSlotRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, RunSlotRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (await slots.TryAcquireAsync(input.Project, input.RunId, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
        {
            return true;
        }

        var holder = await slots.GetHolderAsync(input.Project, CancellationToken.None).ConfigureAwait(false);
        if (holder is null || holder == input.RunId)
        {
            // Released (or handed to us) since we looked: try again.
            return await slots.TryAcquireAsync(input.Project, input.RunId, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }

        if (await client.GetInstanceAsync(holder, getInputsAndOutputs: false, CancellationToken.None).ConfigureAwait(false) is { } instance
            && !HasEnded(instance.RuntimeStatus))
        {
            return false;
        }

        // Released on the dead holder's behalf only if it still holds the slot (ETag-guarded in ProjectRunSlots).
        var next = await slots.ReleaseAsync(input.Project, holder, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        Log.ReleasedForEndedHolder(logger, input.Project, holder, next ?? "nobody");
        if (next == input.RunId)
        {
            return true;
        }

        if (next is null)
        {
            return await slots.TryAcquireAsync(input.Project, input.RunId, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }

        await client.RaiseEventAsync(next, ProjectRunSlots.SlotGrantedEvent, true, CancellationToken.None).ConfigureAwait(false);
        return false;
    }

    /// <summary>A run in one of these states will never run its own release.</summary>
    private static bool HasEnded(OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;

    private static partial class Log
    {
        [LoggerMessage(EventId = 6501, Level = LogLevel.Warning, Message = "Run slot of project {Project} was held by {Holder}, which ended without releasing it; released on its behalf and handed to {Next}")]
        public static partial void ReleasedForEndedHolder(ILogger logger, string project, string holder, string next);
    }
}

/// <summary>Frees the project's run slot and tells the next queued run that it holds it now.</summary>
public sealed class ReleaseRunSlot(ProjectRunSlots slots, DurableTaskClient client, TimeProvider time) : TaskActivity<RunSlotRequest, string?>
{
    public override async Task<string?> RunAsync(TaskActivityContext context, RunSlotRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var next = await slots.ReleaseAsync(input.Project, input.RunId, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        if (next is not null)
        {
            await client.RaiseEventAsync(next, ProjectRunSlots.SlotGrantedEvent, true, CancellationToken.None).ConfigureAwait(false);
        }

        return next;
    }
}
