using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Issue 12 item 6 over HTTP on the real host: <c>GET /api/projects/{p}/datasets/{v}</c> shows the version's profile per
/// column (type, missing share, statistics, histogram or top categories, checked against the uploaded CSV itself) and the
/// run that trained on it and the model version registered from it; a missing version is 404, a key of another project 403.
/// </summary>
public sealed class DatasetLineageTests(ProductHost host) : IClassFixture<ProductHost>
{
    private const string Project = "lineage";
    private readonly ProductUser _user = new(host);

    [Fact]
    public async Task A_dataset_version_shows_its_profile_and_the_runs_and_model_versions_that_used_it()
    {
        await _user.UploadSpecAsync(Project, """{ "label": "diabetes", "trainers": ["lightgbm"] }""");
        var content = await File.ReadAllBytesAsync(SharedData.PathOf("pima2.csv"));
        await _user.UploadAsync(Project, "2026/12/pima2.csv", content);
        var run = Assert.Single(await _user.WaitForFinishedRunsAsync(Project, 1));
        Assert.True(run.GetProperty("status").GetString() == "Promoted", run.ToString());
        var runId = run.GetProperty("id").GetString()!;

        var body = await _user.Admin.GetFromJsonAsync($"api/projects/{Project}/datasets/1");
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(run.GetProperty("dataset").GetProperty("contentHash").GetString(), body.GetProperty("dataset").GetProperty("contentHash").GetString());

        // The profile, column by column, against the CSV as uploaded.
        var csv = Csv.Parse(content);
        var profile = body.GetProperty("profile");
        Assert.Equal(csv.Rows.Count, profile.GetProperty("rows").GetInt32());
        var columns = profile.GetProperty("columns").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
        Assert.Equal(csv.Header, columns.Keys);
        var schema = body.GetProperty("dataset").GetProperty("schema").GetProperty("columns").EnumerateArray()
            .ToDictionary(c => c.GetProperty("name").GetString()!, c => c.GetProperty("kind").GetString()!);
        var sawMissing = false;
        for (var i = 0; i < csv.Header.Count; i++)
        {
            var name = csv.Header[i];
            var column = columns[name];
            var cells = csv.Rows.Select(r => r[i]).ToList();
            var present = cells.Where(c => c.Length > 0).ToList();
            var missing = cells.Count - present.Count;
            sawMissing |= missing > 0;
            Assert.Equal(schema[name], column.GetProperty("type").GetString(), ignoreCase: true);
            Assert.Equal(cells.Count, column.GetProperty("count").GetInt32());
            Assert.Equal(missing, column.GetProperty("missingCount").GetInt32());
            Assert.Equal((double)missing / cells.Count, column.GetProperty("missingShare").GetDouble(), 9);

            if (column.GetProperty("type").GetString() == "numeric")
            {
                var values = present.Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
                Assert.Equal(values.Min(), column.GetProperty("min").GetDouble(), 9);
                Assert.Equal(values.Max(), column.GetProperty("max").GetDouble(), 9);
                Assert.Equal(values.Average(), column.GetProperty("mean").GetDouble(), 6);
                var std = Math.Sqrt(values.Sum(v => Math.Pow(v - values.Average(), 2)) / (values.Count - 1));
                Assert.Equal(std, column.GetProperty("standardDeviation").GetDouble(), 6);
                var histogram = column.GetProperty("histogram");
                var counts = histogram.GetProperty("counts").EnumerateArray().Select(c => c.GetInt32()).ToList();
                var edges = histogram.GetProperty("edges").EnumerateArray().Select(e => e.GetDouble()).ToList();
                Assert.True(counts.Count > 1, $"{name}: {counts.Count} bins");
                Assert.Equal(counts.Count + 1, edges.Count);
                Assert.Equal(present.Count, counts.Sum());
                Assert.Equal(values.Min(), edges[0], 9);
                Assert.Equal(values.Max(), edges[^1], 9);
                Assert.Equal(values.Count(v => v >= edges[0] && v < edges[1]), counts[0]);
            }
            else
            {
                var top = column.GetProperty("topCategories").EnumerateArray().ToDictionary(c => c.GetProperty("value").GetString()!, c => c.GetProperty("count").GetInt32());
                var expected = present.GroupBy(v => v, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
                Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), top.OrderBy(e => e.Key, StringComparer.Ordinal));
            }
        }

        Assert.True(sawMissing, "pima2.csv has empty cells: the missing shares above are not all zero");
        Assert.Equal("numeric", columns["insulin"].GetProperty("type").GetString());
        Assert.Equal("categorical", columns["diabetes"].GetProperty("type").GetString());

        // Lineage: the run that trained on it, the model version registered from it.
        var usedBy = Assert.Single(body.GetProperty("runs").EnumerateArray());
        Assert.Equal(runId, usedBy.GetProperty("id").GetString());
        Assert.Equal("Promoted", usedBy.GetProperty("status").GetString());
        Assert.Equal(1, usedBy.GetProperty("modelVersion").GetInt32());
        var model = Assert.Single(body.GetProperty("modelVersions").EnumerateArray());
        Assert.Equal(Project, model.GetProperty("model").GetString());
        Assert.Equal(1, model.GetProperty("version").GetInt32());
        Assert.Equal(runId, model.GetProperty("runId").GetString());
        Assert.Contains("production", model.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()));

        // A key limited to this project reads it; one limited to another project does not; a missing version is 404.
        using var own = host.CreateClient(await CreateKeyAsync(Project));
        Assert.Equal(HttpStatusCode.OK, (await own.GetAsync($"api/projects/{Project}/datasets/1")).StatusCode);
        using var other = host.CreateClient(await CreateKeyAsync("other"));
        using var refused = await other.GetAsync($"api/projects/{Project}/datasets/1");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain(runId, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.GetAsync($"api/projects/{Project}/datasets/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"api/projects/{Project}/datasets/2")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _user.Admin.GetAsync("api/projects/no-such-project/datasets/1")).StatusCode);
    }

    private async Task<string> CreateKeyAsync(string project)
    {
        using var response = await _user.Admin.PostAsJsonAsync("api/keys", new { name = AzuriteFixture.UniqueName(project), projects = new[] { project }, permissions = new[] { "read" } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!;
    }

    /// <summary>A CSV without quoted commas: header and rows of unquoted cells (empty for a missing value).</summary>
    private sealed record Csv(IReadOnlyList<string> Header, IReadOnlyList<string[]> Rows)
    {
        public static Csv Parse(byte[] content)
        {
            var lines = System.Text.Encoding.UTF8.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            static string[] Cells(string line) => [.. line.Split(',').Select(c => c.Trim('"'))];
            return new Csv(Cells(lines[0]), [.. lines.Skip(1).Select(Cells)]);
        }
    }
}
