using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using OpenTelemetry.Trace;
using Serverless.DurableTask.AzureStorage;
using Serverless.DurableTask.Http;
using Serverless.Functions.Api;
using Serverless.Functions.Dashboard;
using Serverless.Functions.Serving;
using Serverless.Hosting;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Http;
using Serverless.Functions.Monitoring;
using Serverless.Monitoring.Stores;
using Serverless.Orchestrations;
using Serverless.Orchestrations.Scoring;
using Serverless.Orchestrations.ModelUploads;
using Serverless.Orchestrations.Training.RunSlots;
using Serverless.Registry;
using Serverless.Serving.Http;
using Serverless.Serving.Models;
using Serverless.Storage;

namespace Serverless.Functions.Composition;

/// <summary>
/// The product on the host: the registry and its management API, the training pipeline on the durable
/// engine (settings from host.json <c>extensions.durableTask</c>), serving and monitoring. One block per area.
/// </summary>
public static class ProductComposition
{
    private const string DurableSection = FunctionsHostOptions.HostJsonSection + ":extensions:durableTask";

    public static WebApplicationBuilder AddProduct(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var configuration = builder.Configuration;

        // Defaults of the settings trigger paths refer to, below every other source.
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = ProductStorageOptions.Defaults });
        var storage = configuration.GetSection(ProductStorageOptions.Section).Get<ProductStorageOptions>() ?? new ProductStorageOptions();

        // Registry: projects, dataset versions, models and aliases, and their HTTP functions.
        services.AddModelRegistry(new RegistryTables
        {
            Projects = storage.TablePrefix + "Projects",
            DatasetVersions = storage.TablePrefix + "DatasetVersions",
            Models = storage.TablePrefix + "Models",
            ArtifactsContainer = storage.ArtifactsContainer,
        });
        services.AddFunctions(typeof(ProjectFunctions).Assembly);

        // Training pipeline, model uploads and batch scoring: Durable Task SDK orchestrations on DTFx's Azure Storage
        // provider, the task hub set by host.json extensions.durableTask as Durable Functions reads it.
        services.AddSingleton(sp => new ProjectRunSlots(sp.GetRequiredService<ITableStore>(), storage.TablePrefix + "ProjectRunSlots"));
        services.AddTrainingPipeline();
        services.AddDurableTaskAzureStorage(options => configuration.GetSection(DurableSection).Bind(options));
        services.AddDurableTaskWorker(b => b.AddTasks(registry => registry.AddTrainingPipeline().AddModelUploads().AddBatchScoring()).UseAzureStorage());
        services.AddDurableTaskClient(b => b.UseAzureStorage());
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(DurableTaskMetrics.TraceSource));

        // Scheduled retraining: each project's spec 'schedule' as a host timer schedule.
        services.AddScheduledRetraining(configuration.GetSection(ScheduledRetrainingOptions.Section));

        // Serving: predictions from the registry's ONNX models.
        services.AddSingleton<IModelSource, RegistryModelSource>();
        services.AddServing();

        // Serving functions: canary/shadow traffic policies from the registry, their admin API, batch scoring.
        services.AddServingFunctions();

        // Bring your own ONNX: model-uploads trigger, upload orchestration (registered with the durable tasks above), uploads API.
        services.AddModelUploads(o => configuration.GetSection(ModelUploadOptions.Section).Bind(o));
        services.AddFunctions(typeof(Serverless.Functions.Uploads.ModelUploadFunctions).Assembly);

        // Monitoring loop (issue 6): drift and live-performance checks on schedules, reports, alerts, webhook
        // subscriptions and deliveries, drift-triggered retraining with a cool-down, the monitoring API.
        services.AddMonitoringLoop(MonitoringStorageNames.WithPrefix(storage.TablePrefix, storage.ArtifactsContainer));
        return builder;
    }

    public static WebApplication MapProduct(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var prefix = app.Services.GetRequiredService<IOptions<HttpOptions>>().Value.RoutePrefix;

        // Durable Functions' HTTP management API: admin only.
        app.MapDurableTaskManagementApi().RequireFunctionKey(AuthorizationLevel.Admin);

        // Serving: function keys (scoped keys only for their projects' models) with the 'predict' permission (OIP
        // infer and metadata too), feedback with 'feedback'; OIP health stays anonymous.
        var serving = app.MapServingEndpoints(prefix);
        serving.Predict.RequireFunctionKey(AuthorizationLevel.Function, KeyPermissions.Predict);
        serving.Feedback.RequireFunctionKey(AuthorizationLevel.Function, KeyPermissions.Feedback);
        serving.OpenInference.RequireFunctionKey(AuthorizationLevel.Function, KeyPermissions.Predict);

        // Dashboard at GET /: the page needs a function key with 'read' (admin keys get the approve/promote/roll-back
        // controls); its script and style sheet under /dashboard/ are static files without data, served anonymously.
        var dashboard = app.MapDashboard(prefix);
        dashboard.Page.RequireFunctionKey(AuthorizationLevel.Function, KeyPermissions.Read);
        return app;
    }
}
