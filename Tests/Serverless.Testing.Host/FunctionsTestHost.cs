using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Functions.LocalHost;
using Serverless.Hosting;

namespace Serverless.Testing.Host;

/// <summary>The real Functions app, in-process on a free loopback port (real Kestrel, real HTTP).</summary>
public sealed class FunctionsTestHost : IAsyncDisposable
{
    /// <summary>Environment variable naming a file to which every test host appends its warnings and errors (diagnostics).</summary>
    public const string DiagnosticsVariable = "SERVERLESS_TEST_HOST_LOG";

    private readonly WebApplication _app;

    private FunctionsTestHost(WebApplication app, FunctionsTestHostOptions options, Uri address)
    {
        _app = app;
        Options = options;
        BaseAddress = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public FunctionsTestHostOptions Options { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>A client for the host (no key set: add <c>x-functions-key</c> per request, or use <see cref="CreateClient"/>).</summary>
    public HttpClient Client { get; }

    public string MasterKey => Options.MasterKey;

    public IServiceProvider Services => _app.Services;

    public static async Task<FunctionsTestHost> StartAsync(FunctionsTestHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["urls"] = "http://127.0.0.1:0",
            ["AzureWebJobsStorage"] = options.StorageConnectionString,
            ["MasterKey"] = options.MasterKey,
            ["AzureFunctionsWebHost:hostId"] = options.HostId,
            ["AzureFunctionsJobHost:extensions:durableTask:hubName"] = options.HubName,
            ["Keys:TableName"] = options.KeysTable,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Serverless"] = "Warning",
        };
        if (options.IncludeProduct)
        {
            settings["Product:TablePrefix"] = options.ProductPrefix;
            settings["Product:DatasetsContainer"] = options.DatasetsContainer;
            settings["Product:ArtifactsContainer"] = options.ArtifactsContainer;
            settings["Product:ScoringInputContainer"] = options.ScoringInputContainer;
            settings["Product:ScoringOutputContainer"] = options.ScoringOutputContainer;
            settings["Product:ModelUploadsContainer"] = options.ModelUploadsContainer;
            settings["Serving:PredictionLog:Container"] = options.ProductPrefix + "predictionlog";
            settings["Serving:PredictionLog:FeedbackTableName"] = options.ProductPrefix + "predictionfeedback";
            settings["AzureFunctionsJobHost:extensions:durableTask:storageProvider:maxQueuePollingInterval"] = "00:00:00.250";
        }

        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        var builder = LocalHostBuilder.CreateBuilder([], new LocalHostOptions
        {
            Settings = settings,
            FunctionAssemblies = options.FunctionAssemblies,
        });
        if (options.FunctionClasses.Count > 0)
        {
            builder.Services.AddFunctionClasses([.. options.FunctionClasses]);
        }

        options.ConfigureLogging?.Invoke(builder.Logging);
        if (Environment.GetEnvironmentVariable(DiagnosticsVariable) is { Length: > 0 } diagnostics)
        {
            builder.Logging.AddProvider(new DiagnosticsFileLog(diagnostics));
        }
        if (options.IncludeProduct)
        {
            builder.AddProduct();
        }

        options.ConfigureServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseFunctionsHost();
        if (options.IncludeProduct)
        {
            app.MapProduct();
        }

        options.ConfigureApp?.Invoke(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new FunctionsTestHost(app, options, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>A new client that sends <paramref name="key"/> (the master key when <c>null</c>) in <c>x-functions-key</c>.</summary>
    public HttpClient CreateClient(string? key = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Add("x-functions-key", key ?? MasterKey);
        return client;
    }

    /// <summary>Stops the host gracefully (in-flight invocations finish or are released).</summary>
    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
