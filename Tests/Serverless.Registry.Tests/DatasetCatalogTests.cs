using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;
using Serverless.Testing;
using Xunit;

namespace Serverless.Registry.Tests;

public sealed class DatasetCatalogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DatasetSchema Schema = new([new ColumnSchema("age", ColumnKind.Numeric), new ColumnSchema("label", ColumnKind.Categorical)]);

    private static DatasetVersion Version(string project, int number, string hash, bool valid = true) =>
        new(project, number, hash, $"{project}/data-{hash}.csv", 100, 2, Schema, valid, DateTimeOffset.UnixEpoch, $"datasets/{project}/{hash}/data.csv");

    [Fact]
    public async Task The_same_content_is_one_version_and_versions_count_up()
    {
        var catalog = new DatasetCatalog(azurite.Storage.Tables, RegistryFixture.UniqueTables());
        await catalog.InitializeAsync();

        var (first, created) = await catalog.RegisterAsync("churn", "aaa", n => Version("churn", n, "aaa"));
        var (same, createdAgain) = await catalog.RegisterAsync("churn", "aaa", n => Version("churn", n, "aaa"));
        var (second, _) = await catalog.RegisterAsync("churn", "bbb", n => Version("churn", n, "bbb", valid: false));

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Version, same.Version);
        Assert.Equal(2, second.Version);
        Assert.Equal(Schema, (await catalog.GetAsync("churn", 1)).Schema);
        Assert.Equal(1, (await catalog.GetLatestValidAsync("churn"))!.Version); // version 2 failed validation
        Assert.Equal(2, (await catalog.FindByHashAsync("churn", "bbb"))!.Version);
        Assert.Equal([1, 2], (await catalog.ListAsync("churn")).Select(v => v.Version));
    }

    [Fact]
    public async Task A_feedback_version_keeps_its_lineage()
    {
        var catalog = new DatasetCatalog(azurite.Storage.Tables, RegistryFixture.UniqueTables());
        await catalog.InitializeAsync();
        await catalog.RegisterAsync("churn", "aaa", n => Version("churn", n, "aaa"));
        var lineage = new DatasetLineage(DatasetOrigins.Feedback, 1)
        {
            Model = "churn",
            ModelVersion = 4,
            FeedbackRows = 60,
            SkippedRows = 3,
            SkippedReasons = new Dictionary<string, int> { ["input 'age' missing from the logged inputs"] = 2, ["actual value of 'label' is not a known class"] = 1 },
            FeedbackFrom = DateTimeOffset.UnixEpoch.AddDays(1),
            FeedbackTo = DateTimeOffset.UnixEpoch.AddDays(2),
        };
        await catalog.RegisterAsync("churn", "bbb", n => Version("churn", n, "bbb") with { Origin = DatasetOrigins.Feedback, Lineage = lineage });

        var versions = await catalog.ListAsync("churn");
        Assert.Null(versions[0].Lineage);
        var read = versions[1].Lineage!;
        Assert.Equal(DatasetOrigins.Feedback, versions[1].Origin);
        Assert.Equal(lineage with { SkippedReasons = read.SkippedReasons }, read);
        Assert.Equal(lineage.SkippedReasons, read.SkippedReasons);
    }

    [Fact]
    public async Task Concurrent_uploads_of_one_file_register_one_version()
    {
        var catalog = new DatasetCatalog(azurite.Storage.Tables, RegistryFixture.UniqueTables());
        await catalog.InitializeAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => catalog.RegisterAsync("churn", "same", n => Version("churn", n, "same"))));
        Assert.Single(results, r => r.Created);
        Assert.Single(await catalog.ListAsync("churn"));
    }

    [Fact]
    public async Task Project_specs_round_trip()
    {
        var names = RegistryFixture.UniqueTables();
        var projects = new ProjectCatalog(azurite.Storage.Tables, names);
        await projects.InitializeAsync();
        var spec = ProjectSpecSerializer.Parse("""{ "label": "churned", "task": "binary", "promotion": "manual", "approvalTimeout": "PT1H", "gates": { "min": { "auc": 0.8 } } }""");
        await projects.PutAsync("churn", spec, "alice", DateTimeOffset.UnixEpoch);

        var read = await projects.GetAsync("churn");
        Assert.Equal("churned", read!.Spec.Label);
        Assert.Equal(PromotionMode.Manual, read.Spec.Promotion);
        Assert.Equal(TimeSpan.FromHours(1), read.Spec.ApprovalTimeout);
        Assert.Equal(0.8, read.Spec.Gates.Min["auc"]);
        Assert.Null(await projects.GetAsync("other"));

        // A stored spec that no longer reads does not hide the other projects.
        await azurite.Storage.Tables.UpsertAsync(names.Projects, new Storage.TableEntity("project", "legacy", new Dictionary<string, object?> { ["Spec"] = "{ \"lable\": \"x\" }" }));
        var all = await projects.ListAsync();
        Assert.Equal(["churn", "legacy"], all.Select(p => p.Name).Order());
        Assert.Contains("lable", all.Single(p => p.Name == "legacy").SpecError, StringComparison.Ordinal);
        Assert.Null(all.Single(p => p.Name == "churn").SpecError);
        Assert.Throws<ArgumentException>(() => { _ = projects.PutAsync("Bad Name", spec, "alice", DateTimeOffset.UnixEpoch).GetAwaiter().GetResult(); });
    }
}
