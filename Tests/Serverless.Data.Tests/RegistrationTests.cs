using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public async Task Ingestion_is_registered_with_options_from_configuration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Datasets:CategoricalMaxDistinct"] = "2" })
            .Build();
        await using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDatasetIngestion().BuildServiceProvider();

        var ingestion = provider.GetRequiredService<DatasetIngestion>();
        var csv = "kind,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{"abc"[i % 3]},{i % 2}"));
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        var result = await ingestion.IngestAsync(stream, "k.csv", ProjectSpec.Default, null, CancellationToken.None);

        Assert.Equal(ColumnKind.Text, result.Schema.Find("kind")!.Kind);
        Assert.Equal(2, provider.GetRequiredService<IOptions<DatasetIngestionOptions>>().Value.CategoricalMaxDistinct);
    }

    [Fact]
    public void Out_of_range_options_fail_validation_naming_the_setting()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Datasets:HistogramBins"] = "0" })
            .Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddDatasetIngestion().BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<DatasetIngestion>());
        Assert.Contains("Datasets:HistogramBins must be at least 1", (DatasetIngestionOptions.Default with { HistogramBins = 0 }).Validate());
    }
}
