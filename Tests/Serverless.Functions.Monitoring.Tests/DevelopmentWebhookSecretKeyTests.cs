using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Serverless.Hosting.Configuration;
using Serverless.Monitoring.Webhooks;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>The webhook secret key of a development machine: generated once next to the master key file, reused after.</summary>
public sealed class DevelopmentWebhookSecretKeyTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "webhook-key-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void On_a_development_machine_a_key_is_generated_once_beside_the_master_key_and_reused()
    {
        var first = Configure(Environments.Development, storage: null);
        var file = Path.Combine(_root, ".local", DevelopmentWebhookSecretKey.FileName);
        Assert.True(File.Exists(file));
        Assert.Equal(32, first.KeyBytes()!.Length);

        // Another host (or the next start), here recognised by its emulator storage: the same key.
        var second = Configure(Environments.Production, storage: "UseDevelopmentStorage=true");
        Assert.Equal(first.SecretKey, second.SecretKey);
    }

    [Fact]
    public void A_configured_key_is_kept_and_production_gets_none_generated()
    {
        var configured = WebhookSecretOptions.GenerateKey();
        Assert.Equal(configured, Configure(Environments.Development, storage: null, key: configured).SecretKey);
        Assert.Null(Configure(Environments.Production, storage: "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=eA==").SecretKey);
        Assert.False(File.Exists(Path.Combine(_root, ".local", DevelopmentWebhookSecretKey.FileName)));
    }

    private WebhookSecretOptions Configure(string environment, string? storage, string? key = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["AzureWebJobsStorage"] = storage }).Build();
        var hostEnvironment = new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };
        var provisioner = new DevelopmentWebhookSecretKey(
            hostEnvironment,
            configuration,
            MonitoringLoopServiceCollectionExtensions.MasterKeyDirectory(new FunctionsHostOptions { RootPath = _root }, new KeysOptions()),
            NullLogger<DevelopmentWebhookSecretKey>.Instance);
        var options = new WebhookSecretOptions { SecretKey = key };
        provisioner.PostConfigure(Options.DefaultName, options);
        return options;
    }
}
