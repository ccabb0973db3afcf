using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serverless.Hosting.Telemetry;
using Xunit;

namespace Serverless.Hosting.Tests;

public sealed class TelemetryExporterTests
{
    [Theory]
    [InlineData("otlp", true)]
    [InlineData("prometheus", false)]
    [InlineData("none", false)]
    public void Only_the_otlp_exporter_sends_log_records_with_their_trace_ids(string exporter, bool exportsLogs)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServiceCollectionExtensions.ExporterSetting] = exporter })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddFunctionsTelemetry(configuration).BuildServiceProvider();

        var providers = services.GetServices<ILoggerProvider>().Select(p => p.GetType().Name);

        Assert.Equal(exportsLogs, providers.Contains("OpenTelemetryLoggerProvider"));
    }

    [Fact]
    public void An_unknown_exporter_is_refused_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [TelemetryServiceCollectionExtensions.ExporterSetting] = "jaeger" })
            .Build();

        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddFunctionsTelemetry(configuration));

        Assert.Contains("OpenTelemetry:Exporter", error.Message, StringComparison.Ordinal);
    }
}
