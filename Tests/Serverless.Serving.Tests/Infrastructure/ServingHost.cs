using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Serving.Http;
using Serverless.Serving.Models;
using Serverless.Serving.PredictionLogging;
using Serverless.Testing;

namespace Serverless.Serving.Tests.Infrastructure;

/// <summary>A small web app of the tests' own serving the endpoints on a free loopback port, over real HTTP.</summary>
public sealed class ServingHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServingHost(WebApplication app, HttpClient client)
    {
        _app = app;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public PredictionLog Log => _app.Services.GetRequiredService<PredictionLog>();

    public static async Task<ServingHost> StartAsync(
        IModelSource source,
        TestStorage storage,
        Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(source);
        ArgumentNullException.ThrowIfNull(storage);
        builder.Services.AddSingleton(storage.Tables);
        builder.Services.AddSingleton(storage.Blobs);
        builder.Services.AddServing();
        builder.Services.Configure<PredictionLogOptions>(o =>
        {
            o.Container = AzuriteFixtureNames.Unique("log");
            o.FeedbackTableName = AzuriteFixtureNames.Unique("feedback");
            o.FlushInterval = TimeSpan.FromMilliseconds(100);
        });
        configure?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapServingEndpoints("api");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ServingHost(app, new HttpClient { BaseAddress = new Uri(address) });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal static class AzuriteFixtureNames
{
    public static string Unique(string prefix) => Serverless.Testing.AzuriteFixture.UniqueName(prefix);
}
