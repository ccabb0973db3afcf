using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Functions.Composition;
using Serverless.Hosting.Configuration;
using Serverless.Hosting.Middleware;
using Serverless.Hosting.Telemetry;
using Serverless.Storage.Azure;

// The Function App in Azure: the Functions host runs the triggers (HTTP through the ASP.NET Core integration, blob
// through Event Grid, timers, durable orchestrations and activities) and calls this worker's functions.
var builder = FunctionsApplication.CreateBuilder(args);
builder.Configuration.AddProductDefaults();
builder.Configuration.AddFunctionsFiles(AppContext.BaseDirectory);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<CorrelationMiddleware>();
builder.UseMiddleware<HttpExceptionMiddleware>();
builder.UseMiddleware<FunctionKeyMiddleware>();
// Telemetry as the worker SDK supports it (invocation spans joined to the host's), exporters by configuration.
builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
builder.Services.AddFunctionsTelemetry(builder.Configuration);
builder.Services.AddAzureStorage(_ => StorageConnectionOptions.FromConfiguration(builder.Configuration, "AzureWebJobsStorage"));
builder.Services.AddProductServices(builder.Configuration);
await builder.Build().RunAsync();
