using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Serverless.Data;

/// <summary>Registers dataset ingestion.</summary>
public static class DataServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="DatasetIngestion"/> (singleton, stateless) with <see cref="DatasetIngestionOptions"/> bound from
    /// the configuration section <c>Datasets</c> and validated at first use.
    /// </summary>
    public static IServiceCollection AddDatasetIngestion(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<DatasetIngestionOptions>()
            .BindConfiguration(DatasetIngestionOptions.SectionName)
            .Validate(o => o.Validate().Count == 0, "Datasets options are out of range (see DatasetIngestionOptions.Validate).");
        services.TryAddSingleton(sp => new DatasetIngestion(sp.GetRequiredService<IOptions<DatasetIngestionOptions>>().Value));
        return services;
    }
}
