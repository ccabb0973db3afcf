using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serverless.Monitoring.Stores;
using Serverless.Monitoring.Webhooks;
using Serverless.Testing;
using Serverless.Testing.Host;

namespace Serverless.Functions.Monitoring.Tests;

/// <summary>
/// <c>POST /api/webhooks</c> on the real host (not the Development environment): URLs aimed at the host's own networks
/// are refused with 400 naming the setting, and stored nothing; with <c>Product:Webhooks:AllowPrivateNetworks</c> they are accepted.
/// </summary>
public sealed class WebhookDestinationApiTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    public static TheoryData<string> InwardUrls => new()
    {
        "http://169.254.169.254/latest/meta-data",
        "http://127.0.0.1:7071/api/health",
        "http://[::1]/hook",
        "http://10.0.0.8/hook",
        "http://localhost:8080/hook",
    };

    [Theory]
    [MemberData(nameof(InwardUrls))]
    public async Task Inward_urls_are_refused_with_400_and_accepted_when_private_networks_are_allowed(string url)
    {
        await using (var host = await StartAsync(allowPrivateNetworks: false))
        {
            Assert.False(host.Services.GetRequiredService<IHostEnvironment>().IsDevelopment());
            var admin = host.CreateClient();
            var refused = await admin.PostAsJsonAsync("api/webhooks", new { url, secret = "s3cret" });

            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
            Assert.Contains("Product:Webhooks:AllowPrivateNetworks", error, StringComparison.Ordinal);
            Assert.Contains(new Uri(url).DnsSafeHost, error, StringComparison.Ordinal);
            Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("api/webhooks")).GetProperty("webhooks").GetArrayLength());
        }

        await using (var host = await StartAsync(allowPrivateNetworks: true))
        {
            var accepted = await host.CreateClient().PostAsJsonAsync("api/webhooks", new { url, secret = "s3cret" });
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }
    }

    [Fact]
    public async Task A_public_url_is_accepted()
    {
        await using var host = await StartAsync(allowPrivateNetworks: false);
        var accepted = await host.CreateClient().PostAsJsonAsync("api/webhooks", new { url = "https://8.8.8.8/hooks/mlops", secret = "s3cret" });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    private Task<FunctionsTestHost> StartAsync(bool allowPrivateNetworks)
    {
        var names = new MonitoringStorageNames { WebhooksTable = AzuriteFixture.UniqueName("webhooks") };
        return FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
        {
            StorageConnectionString = azurite.ConnectionString,
            FunctionClasses = [typeof(WebhookFunctions)],
            Settings = new Dictionary<string, string?>
            {
                ["Product:Webhooks:SecretKey"] = WebhookSecretOptions.GenerateKey(),
                ["Product:Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
            },
            ConfigureServices = services => services.AddMonitoringStores(names),
        });
    }
}
