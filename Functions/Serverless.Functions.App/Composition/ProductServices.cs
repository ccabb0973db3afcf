using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using Serverless.DurableTask.AzureStorage;
using Serverless.Functions.Api;
using Serverless.Functions.Monitoring;
using Serverless.Functions.Serving;
using Serverless.Hosting;
using Serverless.Hosting.Configuration;
using Serverless.Monitoring.Stores;
using Serverless.Orchestrations;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Orchestrations.Training.Records;
using Serverless.Orchestrations.Training.RunSlots;
using Serverless.Registry;
using Serverless.Serving.Http;
using Serverless.Serving.Models;
using Serverless.Storage;

namespace Serverless.Functions.Composition;

/// <summary>
/// The product's services, the same on both hosts: keys, the registry, the training pipeline's activities and a
/// durable client on the task hub (settings from host.json <c>extensions.durableTask</c>), serving and monitoring.
/// The host adds what runs the functions: the Functions host in Azure, the local host's runtime and durable
/// worker locally. Storage (<c>AzureWebJobsStorage</c>) is registered by the caller.
/// </summary>
public static class ProductServices
{
    private const string DurableSection = FunctionsHostOptions.HostJsonSection + ":extensions:durableTask";

    /// <summary>Defaults of the settings trigger paths refer to (<c>%Product:DatasetsContainer%</c>); add below every other source.</summary>
    public static IConfigurationBuilder AddProductDefaults(this IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ProductStorageOptions.Defaults });
        return configuration;
    }

    public static IServiceCollection AddProductServices(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var storage = configuration.GetSection(ProductStorageOptions.Section).Get<ProductStorageOptions>() ?? new ProductStorageOptions();

        // Keys: the one authorizer of both hosts (the worker middleware uses it).
        services.AddFunctionKeys(configuration);

        // Registry: projects, dataset versions, models and aliases.
        services.AddModelRegistry(new RegistryTables
        {
            Projects = storage.TablePrefix + "Projects",
            DatasetVersions = storage.TablePrefix + "DatasetVersions",
            Models = storage.TablePrefix + "Models",
            ArtifactsContainer = storage.ArtifactsContainer,
        });

        // Training pipeline, model uploads and batch scoring: the activities' services, and a durable client on the
        // task hub (the Durable Task Framework's Azure Storage provider, the engine Durable Functions runs).
        services.AddSingleton(new RunStoreNames { Runs = storage.TablePrefix + "Runs", RunRecords = storage.TablePrefix + "RunRecords", Container = storage.ArtifactsContainer });
        services.AddSingleton(sp => new ProjectRunSlots(sp.GetRequiredService<ITableStore>(), storage.TablePrefix + "ProjectRunSlots"));
        services.AddTrainingPipeline();
        services.AddDurableTaskAzureStorage(options => configuration.GetSection(DurableSection).Bind(options));
        services.AddDurableTaskClient(b => b.UseAzureStorage());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(DurableTaskMetrics.TraceSource));

        // Scheduled retraining: each project's spec 'schedule', evaluated by a fixed timer function.
        services.AddScheduledRetraining();

        // Serving: predictions from the registry's ONNX models; traffic policies; batch scoring.
        services.AddSingleton<IModelSource, RegistryModelSource>();
        services.AddServing();
        services.AddServingFunctions();

        // Bring your own ONNX.
        services.AddModelUploads(o => configuration.GetSection(ModelUploadOptions.Section).Bind(o));

        // Monitoring loop: drift and live-performance checks, alerts, webhooks, drift-triggered retraining, retention.
        services.AddMonitoringLoop(MonitoringStorageNames.WithPrefix(storage.TablePrefix, storage.ArtifactsContainer));
        return services;
    }
}
