using Microsoft.DurableTask;
using Serverless.Registry;

namespace Serverless.Orchestrations.Training.Activities;

/// <summary>Moves a model alias (audited). Idempotent: an alias already on the version is left alone and not audited twice.</summary>
public sealed class SetModelAlias(ModelRegistry registry, TimeProvider time) : TaskActivity<SetAliasRequest, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, SetAliasRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        if (await registry.GetAliasAsync(input.Model, input.Alias, CancellationToken.None).ConfigureAwait(false) == input.Version)
        {
            return false;
        }

        await registry.SetAliasAsync(input.Model, input.Alias, input.Version, input.Actor, input.Reason, time.GetUtcNow(), input.CorrelationId, CancellationToken.None).ConfigureAwait(false);
        return true;
    }
}
