using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;
using Serverless.Testing.Host;
using Xunit;

namespace Serverless.Functions.Tests;

public sealed class SharedKeysTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task A_key_revoked_on_one_host_stops_working_on_another_within_seconds()
    {
        var options = new FunctionsTestHostOptions
        {
            StorageConnectionString = azurite.ConnectionString,
            FunctionClasses = [typeof(Probes)],
            Settings = new Dictionary<string, string?> { ["Keys:CacheDuration"] = "00:00:02" },
        };
        await using var a = await FunctionsTestHost.StartAsync(options);
        await using var b = await FunctionsTestHost.StartAsync(options);
        using var adminA = a.CreateClient();
        var name = AzuriteFixture.UniqueName("k");
        using var created = await adminA.PostAsJsonAsync("api/keys", new { name });
        var key = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;

        using var clientB = b.CreateClient(key);
        Assert.Equal(HttpStatusCode.OK, (await clientB.GetAsync("api/projects/alpha/probe")).StatusCode); // now cached on b
        Assert.Equal(HttpStatusCode.NoContent, (await adminA.DeleteAsync($"api/keys/{name}")).StatusCode);
        Assert.True(await Eventually.WaitAsync(
            async () => (await clientB.GetAsync("api/projects/alpha/probe")).StatusCode == HttpStatusCode.Unauthorized,
            TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Prometheus_exporter_serves_invocation_metrics()
    {
        await using var host = await FunctionsTestHost.StartAsync(new FunctionsTestHostOptions
        {
            StorageConnectionString = azurite.ConnectionString,
            FunctionClasses = [typeof(Probes)],
            Settings = new Dictionary<string, string?> { ["OpenTelemetry:Exporter"] = "prometheus" },
        });
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("api/probe/anonymous")).StatusCode);
        Assert.True(await Eventually.WaitAsync(
            async () => (await host.Client.GetStringAsync("metrics")).Contains("serverless_functions_invocations", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10)));
    }
}
