using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Serverless.Serving.Feedback;
using Serverless.Serving.Models;
using Serverless.Serving.OpenInference;
using Serverless.Serving.PredictionLogging;
using Serverless.Serving.Predictions;
using Serverless.Serving.Telemetry;
using Serverless.Serving.Traffic;

namespace Serverless.Serving.Http;

public static class ServingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the serving core: options (sections <c>Serving</c>, <c>Serving:ModelCache</c>, <c>Serving:PredictionLog</c>),
    /// the model cache, the prediction log (a hosted service appending segments to Blob storage), predictions, feedback and the
    /// Open Inference Protocol, and canary/shadow traffic (policies from <see cref="ITrafficPolicySource"/>, none by default). The host registers <see cref="IModelSource"/>, <c>IBlobStore</c> and <c>ITableStore</c>.
    /// </summary>
    public static IServiceCollection AddServing(this IServiceCollection services)
    {
        services.AddOptions<ServingOptions>().BindConfiguration(ServingOptions.SectionName);
        services.AddOptions<ModelCacheOptions>().BindConfiguration(ModelCacheOptions.SectionName);
        services.AddOptions<PredictionLogOptions>().BindConfiguration(PredictionLogOptions.SectionName);
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PredictionLogStore>();
        services.TryAddSingleton<IPredictionLogSink>(provider => provider.GetRequiredService<PredictionLogStore>());
        services.TryAddSingleton<ServingTelemetry>();
        services.TryAddSingleton<ModelCache>();
        services.TryAddSingleton<PredictionLog>();
        services.AddHostedService(provider => provider.GetRequiredService<PredictionLog>());
        services.TryAddSingleton<ITrafficPolicySource, NoTrafficPolicySource>();
        services.TryAddSingleton<TrafficPolicyCache>();
        services.TryAddSingleton<ShadowScorer>();
        services.AddHostedService(provider => provider.GetRequiredService<ShadowScorer>());
        services.TryAddSingleton<PredictionService>();
        services.TryAddSingleton<OpenInferenceService>();
        services.TryAddSingleton<FeedbackService>();
        return services;
    }
}
