using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Middleware;
using Serverless.Hosting.Telemetry;
using Serverless.Storage.Azure;

namespace Serverless.Functions.Composition;

/// <summary>
/// The Function App as Azure runs it: the isolated worker with the ASP.NET Core integration, the product's worker
/// middleware in the order the local host runs them, OpenTelemetry as the worker SDK supports it, storage from
/// <c>AzureWebJobsStorage</c> and the product's services. The Functions host runs the triggers (HTTP, blob through
/// Event Grid, timers, durable orchestrations and activities) and calls this worker's functions.
/// </summary>
public static class FunctionAppBuilder
{
    /// <param name="settings">Settings over every other source (a test's storage and keys); none in Azure.</param>
    public static FunctionsApplicationBuilder Create(string[] args, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = FunctionsApplication.CreateBuilder(args);
        builder.Configuration.AddProductDefaults();
        builder.Configuration.AddFunctionsFiles(AppContext.BaseDirectory);
        if (settings is { Count: > 0 })
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.ConfigureFunctionsWebApplication();

        // The worker serializes durable inputs and outputs with these options (the Durable extension's data converter
        // wraps the worker's serializer): the same JSON as the task hub's client and the local host's worker write.
        builder.Services.Configure<JsonSerializerOptions>(options =>
        {
            var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
            options.PropertyNamingPolicy = web.PropertyNamingPolicy;
            options.PropertyNameCaseInsensitive = web.PropertyNameCaseInsensitive;
            options.NumberHandling = web.NumberHandling;
        });
        builder.UseMiddleware<CorrelationMiddleware>();
        builder.UseMiddleware<HttpExceptionMiddleware>();
        builder.UseMiddleware<FunctionKeyMiddleware>();
        builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        builder.Services.AddFunctionsTelemetry(builder.Configuration);
        builder.Services.AddAzureStorage(_ => StorageConnectionOptions.FromConfiguration(builder.Configuration, "AzureWebJobsStorage"));
        builder.Services.AddProductServices(builder.Configuration);
        return builder;
    }
}
