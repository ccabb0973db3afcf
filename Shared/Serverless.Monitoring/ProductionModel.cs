using Microsoft.Extensions.Options;
using Serverless.Registry;

namespace Serverless.Monitoring;

/// <summary>Finds the monitored version of a project's model: the one its monitored alias points at.</summary>
public sealed class ProductionModel(ModelRegistry registry, ProjectCatalog projects, IOptions<MonitoringLoopOptions> options)
{
    /// <summary>The project's spec (default when it has none), and the monitored version or why there is none.</summary>
    public async Task<(ProjectRecord? Project, ModelVersion? Version, string? Missing)> FindAsync(string model, CancellationToken cancellationToken)
    {
        var alias = options.Value.Alias;
        var number = await registry.GetAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
        if (number is not int version)
        {
            return (null, null, $"Model '{model}' has no '{alias}' version to monitor.");
        }

        var modelVersion = await registry.GetVersionAsync(model, version, cancellationToken).ConfigureAwait(false);
        var project = await projects.GetAsync(modelVersion.Lineage.Project ?? model, cancellationToken).ConfigureAwait(false);
        return (project, modelVersion, null);
    }
}
