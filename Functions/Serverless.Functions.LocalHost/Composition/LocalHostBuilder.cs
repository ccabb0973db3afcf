using Microsoft.AspNetCore.Builder;
using Serverless.Hosting;
using Serverless.Functions.BuiltIn;
using Serverless.Hosting.Configuration;

namespace Serverless.Functions.LocalHost;

/// <summary>
/// Creates the local host's builder: settings as Azure Functions reads them (host.json, local.settings.json,
/// environment, command line), <c>http://localhost:7071</c> unless URLs are configured, storage (configured, or
/// an embedded Azurite), the host's runtime and its own functions (health, keys; <c>AddProduct</c> adds the rest). Add more with <c>builder.Services.AddFunctions(...)</c>.
/// </summary>
public static class LocalHostBuilder
{
    public const string DefaultUrl = "http://localhost:7071";

    public static WebApplicationBuilder CreateBuilder(string[] args, LocalHostOptions? options = null)
    {
        options ??= new LocalHostOptions();
        var root = options.RootPath
            ?? FunctionsConfigurationExtensions.FindRoot(Directory.GetCurrentDirectory(), AppContext.BaseDirectory)
            ?? Directory.GetCurrentDirectory();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = root });
        builder.Configuration.AddFunctionsFiles(root);
        if (options.Settings.Count > 0)
        {
            builder.Configuration.AddInMemoryCollection(options.Settings);
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        builder.AddFunctionsStorage(root);
        builder.Services.AddFunctionsHost(builder.Configuration);
        builder.Services.Configure<FunctionsHostOptions>(o => o.RootPath = root);
        // The host's own functions (health, keys); AddProduct adds the rest of the Function App.
        builder.Services.AddFunctionClasses(typeof(HealthFunction), typeof(KeysFunctions));
        builder.Services.AddFunctions([.. options.FunctionAssemblies]);
        return builder;
    }
}
