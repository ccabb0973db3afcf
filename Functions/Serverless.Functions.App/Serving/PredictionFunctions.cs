using Serverless.Hosting;
using Serverless.Serving.Http;

namespace Serverless.Functions.Serving;

/// <summary>
/// The prediction API: MLflow-style <c>predict</c> and <c>feedback</c> under <c>/api</c>, and the KServe Open
/// Inference Protocol v2 REST routes under <c>/v2</c> (health anonymous). Each returns the serving handler as its
/// result, which writes the response (the fast path: no intermediate objects).
/// </summary>
public static class PredictionFunctions
{
    [Function("Predict")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult Predict([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/models/{name}/predict")] HttpRequest request) =>
        ServingEndpoints.Predict;

    [Function("Feedback")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Feedback)]
    public static IResult Feedback([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/models/{name}/feedback")] HttpRequest request) =>
        ServingEndpoints.Feedback;

    [Function("OipServerMetadata")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult ServerMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2")] HttpRequest request) =>
        ServingEndpoints.ServerMetadata;

    [Function("OipLive")]
    public static IResult Live([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/health/live")] HttpRequest request) =>
        ServingEndpoints.Live;

    [Function("OipReady")]
    public static IResult Ready([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/health/ready")] HttpRequest request) =>
        ServingEndpoints.Ready;

    [Function("OipModelMetadata")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult ModelMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/models/{name}")] HttpRequest request) =>
        ServingEndpoints.ModelMetadata;

    [Function("OipModelVersionMetadata")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult ModelVersionMetadata([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/models/{name}/versions/{version}")] HttpRequest request) =>
        ServingEndpoints.ModelMetadata;

    [Function("OipModelReady")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult ModelReady([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/models/{name}/ready")] HttpRequest request) =>
        ServingEndpoints.ModelReady;

    [Function("OipModelVersionReady")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult ModelVersionReady([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "v2/models/{name}/versions/{version}/ready")] HttpRequest request) =>
        ServingEndpoints.ModelReady;

    [Function("OipInfer")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult Infer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v2/models/{name}/infer")] HttpRequest request) =>
        ServingEndpoints.Infer;

    [Function("OipVersionInfer")]
    [RequiresKey(AuthorizationLevel.Function, KeyPermissions.Predict)]
    public static IResult VersionInfer([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v2/models/{name}/versions/{version}/infer")] HttpRequest request) =>
        ServingEndpoints.Infer;
}
