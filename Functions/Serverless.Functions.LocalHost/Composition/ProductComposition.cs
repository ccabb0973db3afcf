using Microsoft.AspNetCore.Builder;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Serverless.DurableTask.AzureStorage;
using Serverless.DurableTask.Http;
using Serverless.Functions.Composition;
using Serverless.Hosting;
using Serverless.Hosting.Durable;
using Serverless.Hosting.Http;

namespace Serverless.Functions.LocalHost;

/// <summary>
/// The product on the local host: the Function App's services, its <c>[OrchestrationTrigger]</c> and
/// <c>[ActivityTrigger]</c> functions on a durable task worker over the task hub (what the Durable extension does in
/// Azure), and the Durable Functions management API the extension serves there.
/// </summary>
public static class ProductComposition
{
    public static WebApplicationBuilder AddProduct(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Configuration.AddProductDefaults();
        builder.Services.AddProductServices(builder.Configuration);
        var app = FunctionSource.FromAssembly(typeof(ProductServices).Assembly);
        builder.Services.AddSingleton(app);
        builder.Services.AddDurableTaskWorker(b => b.AddTasks(registry => registry.AddFunctions(app, DurableTaskAzureStorageExtensions.DataConverter)).UseAzureStorage());
        return builder;
    }

    public static WebApplication MapProduct(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Durable Functions' HTTP management API (in Azure, the Durable extension serves it): admin only.
        app.MapDurableTaskManagementApi().RequireFunctionKey(AuthorizationLevel.Admin);
        return app;
    }
}
