using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class FunctionsConfigurationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("host-config-").FullName;

    [Fact]
    public void Host_json_and_local_settings_become_options_below_other_sources()
    {
        File.WriteAllText(Path.Combine(_root, "host.json"), """
            { "version": "2.0", "functionTimeout": "00:10:00",
              "logging": { "logLevel": { "default": "Warning", "Serverless.Hosting": "Debug" } },
              "extensions": { "http": { "routePrefix": "v1" }, "durableTask": { "hubName": "hub1" },
                              "blobs": { "poisonBlobThreshold": 3, "maxDegreeOfParallelism": 2 } } }
            """);
        File.WriteAllText(Path.Combine(_root, "local.settings.json"), """
            { "IsEncrypted": false, "Values": { "MasterKey": "from-local-settings", "ProjectSetting": "local", "Overridden": "local" } }
            """);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Overridden"] = "environment" })
            .AddFunctionsFiles(_root)
            .Build();

        Assert.Equal("local", configuration["ProjectSetting"]);
        Assert.Equal("environment", configuration["Overridden"]); // local.settings.json is the lowest source
        Assert.Equal("Warning", configuration["Logging:LogLevel:Default"]);
        Assert.Equal("Debug", configuration["Logging:LogLevel:Serverless.Hosting"]);

        var services = new ServiceCollection().AddFunctionsHost(configuration).BuildServiceProvider();
        Assert.Equal("v1", services.GetRequiredService<IOptions<HttpOptions>>().Value.RoutePrefix);
        Assert.Equal("hub1", configuration["AzureFunctionsJobHost:extensions:durableTask:hubName"]); // bound by the durable engine
        Assert.Equal(3, services.GetRequiredService<IOptions<BlobsOptions>>().Value.PoisonBlobThreshold);
        Assert.Equal(2, services.GetRequiredService<IOptions<BlobsOptions>>().Value.MaxDegreeOfParallelism);
        Assert.Equal(TimeSpan.FromMinutes(10), services.GetRequiredService<IOptions<FunctionsHostOptions>>().Value.FunctionTimeout);
        Assert.Equal("from-local-settings", services.GetRequiredService<IOptions<KeysOptions>>().Value.MasterKey);
    }

    [Fact]
    public void Without_files_the_defaults_hold_and_invalid_json_names_the_file()
    {
        var services = new ServiceCollection().AddFunctionsHost(new ConfigurationBuilder().AddFunctionsFiles(_root).Build()).BuildServiceProvider();
        Assert.Equal("api", services.GetRequiredService<IOptions<HttpOptions>>().Value.RoutePrefix);
        Assert.Equal(5, services.GetRequiredService<IOptions<BlobsOptions>>().Value.PoisonBlobThreshold);

        File.WriteAllText(Path.Combine(_root, "host.json"), "{ not json");
        var error = Assert.Throws<InvalidOperationException>(() => new ConfigurationBuilder().AddFunctionsFiles(_root));
        Assert.Contains("host.json", error.Message, StringComparison.Ordinal);
        Assert.Equal(_root, FunctionsConfigurationExtensions.FindRoot(Path.Combine(_root, "missing-sub-folder"), null));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
