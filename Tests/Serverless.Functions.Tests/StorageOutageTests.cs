using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Serverless.Storage;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

public sealed class StorageOutageTests
{
    [Fact]
    public async Task After_storage_restarts_the_blob_listener_recovers_and_delivers()
    {
        await using var server = await AzuriteFixture.StartPrivateAsync();
        var storage = TestStorage.Connect(server.ConnectionString);
        var container = AzuriteFixture.UniqueName("outage");
        await storage.Blobs.CreateContainerIfNotExistsAsync(container);
        var log = new InvocationLog();
        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
        {
            StorageConnectionString = server.ConnectionString,
            FunctionClasses = [typeof(UploadCounter)],
            Settings = new Dictionary<string, string?> { ["WatchedContainer"] = container },
            ConfigureServices = services => services.AddSingleton(log),
        });

        await storage.Blobs.UploadTextAsync(container, "p/before.csv", "1");
        Assert.True(await Eventually.WaitAsync(() => log.Count("CountUploads") == 1, TimeSpan.FromSeconds(10)));

        await server.StopAsync();
        Assert.True(await Eventually.WaitAsync(async () => await HealthAsync(host) == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30)));

        await server.RestartAsync();
        // Azurite saves its data periodically, so a killed Azurite may come back without recent writes.
        await storage.Blobs.CreateContainerIfNotExistsAsync(container);
        await storage.Blobs.UploadTextAsync(container, "p/after.csv", "2");
        Assert.True(await Eventually.WaitAsync(() => log.Of("CountUploads").Any(e => e.StartsWith("p/after.csv|", StringComparison.Ordinal)), TimeSpan.FromSeconds(30)));
        Assert.True(await Eventually.WaitAsync(async () => await HealthAsync(host) == HttpStatusCode.OK, TimeSpan.FromSeconds(15)));
        await Task.Delay(1500);
        Assert.Single(log.Of("CountUploads"), e => e.StartsWith("p/after.csv|", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> HealthAsync(FunctionsTestHost host)
    {
        using var response = await host.Client.GetAsync("api/health");
        return response.StatusCode;
    }
}
