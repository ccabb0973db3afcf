using Serverless.Hosting;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring;

/// <summary>The background dispatch of registry events to webhooks.</summary>
public sealed class ModelEventFunctions(AliasEventDispatcher aliases)
{
    /// <summary>Every two seconds (once across hosts, and at start): pending alias changes become <c>alias.changed</c> webhooks.</summary>
    [Function("DispatchAliasEvents")]
    public Task DispatchAsync([TimerTrigger("*/2 * * * * *", RunOnStartup = true)] TimerInfo timer, FunctionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return aliases.DispatchPendingAsync(context.CancellationToken);
    }
}
