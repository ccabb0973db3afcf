namespace Serverless.Functions.Api;

/// <summary>The timer function of scheduled retraining, the same on both hosts.</summary>
public sealed class ScheduledRetrainingTimer(ScheduledRetraining retraining)
{
    /// <summary>Every 10 seconds: the due occurrences of the projects' <c>schedule</c> start their runs (each once across hosts).</summary>
    [Function("RetrainOnSchedule")]
    public Task RunAsync([TimerTrigger("*/10 * * * * *")] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return retraining.RunDueAsync(context.CancellationToken);
    }
}
