using Serverless.Registry;
using Serverless.Serving.Models;
using Serverless.Storage;

namespace Serverless.Functions.Api;

/// <summary>Serving's view of the model registry: which version an alias names, and a version's ONNX bytes.</summary>
public sealed class RegistryModelSource(ModelRegistry registry) : IModelSource
{
    public async Task<ResolvedModel> ResolveAsync(string model, string? alias, int? version, CancellationToken cancellationToken)
    {
        if (StorageNames.DescribeInvalidResourceName("Model", model) is { } problem)
        {
            throw new ModelNotFoundException(problem);
        }

        if (version is int pinned)
        {
            try
            {
                _ = await registry.GetVersionAsync(model, pinned, cancellationToken).ConfigureAwait(false);
                return new ResolvedModel(model, pinned);
            }
            catch (RegistryNotFoundException e)
            {
                throw new ModelNotFoundException(e.Message, e);
            }
        }

        var name = alias ?? "production";
        var target = await registry.GetAliasAsync(model, name, cancellationToken).ConfigureAwait(false)
            ?? throw new ModelNotFoundException(await registry.GetModelAsync(model, cancellationToken).ConfigureAwait(false) is null
                ? $"Model '{model}' is not registered."
                : $"Model '{model}' has no alias '{name}'.");
        return new ResolvedModel(model, target);
    }

    public async Task<byte[]> LoadOnnxAsync(string model, int version, CancellationToken cancellationToken)
    {
        try
        {
            var registered = await registry.GetVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
            return await registry.LoadOnnxAsync(registered, cancellationToken).ConfigureAwait(false);
        }
        catch (RegistryNotFoundException e)
        {
            throw new ModelNotFoundException(e.Message, e);
        }
    }
}
