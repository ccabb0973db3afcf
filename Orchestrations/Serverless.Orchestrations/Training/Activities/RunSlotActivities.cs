using Serverless.Durable;
using Serverless.Orchestrations.Training.RunSlots;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>Takes the project's run slot, or queues the run for it.</summary>
public sealed class AcquireRunSlot(ProjectRunSlots slots, TimeProvider time) : TaskActivity<RunSlotRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, RunSlotRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return slots.TryAcquireAsync(input.Project, input.RunId, time.GetUtcNow(), context.CancellationToken);
    }
}

/// <summary>Frees the project's run slot and tells the next queued run that it holds it now.</summary>
public sealed class ReleaseRunSlot(ProjectRunSlots slots, DurableTaskClient client, TimeProvider time) : TaskActivity<RunSlotRequest, string?>
{
    public override async Task<string?> RunAsync(TaskActivityContext context, RunSlotRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var next = await slots.ReleaseAsync(input.Project, input.RunId, time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        if (next is not null)
        {
            await client.RaiseEventAsync(next, ProjectRunSlots.SlotGrantedEvent, true, context.CancellationToken).ConfigureAwait(false);
        }

        return next;
    }
}
