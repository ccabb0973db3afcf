using Microsoft.Azure.Functions.Worker.Extensions.Abstractions;

namespace Serverless.Hosting;

/// <summary>The binding type names of the triggers the local host runs, as the Functions host knows them.</summary>
public static class TriggerTypes
{
    public const string Http = "httpTrigger";
    public const string Blob = "blobTrigger";
    public const string Timer = "timerTrigger";
    public const string Orchestration = "orchestrationTrigger";
    public const string Activity = "activityTrigger";

    public static string Of(TriggerBindingAttribute trigger) => trigger switch
    {
        HttpTriggerAttribute => Http,
        BlobTriggerAttribute => Blob,
        TimerTriggerAttribute => Timer,
        OrchestrationTriggerAttribute => Orchestration,
        ActivityTriggerAttribute => Activity,
        _ => throw new NotSupportedException($"The local host does not run {trigger.GetType().Name} functions."),
    };
}
