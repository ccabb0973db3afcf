using System.Globalization;
using System.Text;
using System.Text.Json;
using Serverless.Testing;
using Xunit;

namespace Serverless.Functions.Api.Tests;

/// <summary>
/// Bad uploads end <c>Rejected</c> with a report naming the problem; no model version appears and the
/// production model trained earlier stays. The same content uploaded twice gives one dataset version and one run.
/// </summary>
public sealed class RejectedDatasetTests(ProductHost host) : IClassFixture<ProductHost>
{
    private const string Spec = """{ "label": "cultivar", "trainers": ["lightgbm"], "validation": { "columns": { "alcohol": { "type": "number", "min": 10, "max": 20 } } } }""";

    private static readonly string[] WineLines = File.ReadAllLines(SharedData.PathOf("wine.csv"));

    private readonly ProductUser _user = new(host);

    /// <summary>File name, content, and the rule (or words) the rejection must name.</summary>
    public static IEnumerable<(string File, byte[] Content, string Problem)> BadUploads()
    {
        yield return ("empty.csv", [], "unreadable");
        yield return ("header-only.csv", Utf8(WineLines[0] + "\n"), "no data rows");
        yield return ("no-label.csv", Utf8(Columns(c => c != "cultivar")), "label-missing");
        yield return ("one-class.csv", Utf8(string.Join('\n', WineLines.Where(l => !l.EndsWith("class_1", StringComparison.Ordinal) && !l.EndsWith("class_2", StringComparison.Ordinal)))), "single-class");
        yield return ("ragged.csv", Utf8(string.Join('\n', WineLines.Select((l, i) => i == 7 ? l + ",1.5,2.5" : l))), "unreadable");
        yield return ("junk.csv", Junk(), "unreadable");
        yield return ("duplicate-headers.csv", Utf8(string.Join('\n', WineLines.Select((l, i) => i == 0 ? l.Replace("malic_acid", "alcohol", StringComparison.Ordinal) : l))), "alcohol");
        yield return ("schema-break.csv", Utf8(Columns(c => c != "proline")), "schema-breaking-change");
        yield return ("expectation.csv", Utf8(string.Join('\n', WineLines.Select((l, i) => i == 5 ? "99" + l[l.IndexOf(',', StringComparison.Ordinal)..] : l))), "out-of-range");
    }

    [Fact]
    public async Task Bad_uploads_are_rejected_with_the_problem_named_and_production_stays()
    {
        const string project = "guarded";
        await _user.UploadSpecAsync(project, Spec);
        await _user.UploadAsync(project, "good/wine.csv", Utf8(string.Join('\n', WineLines)));
        var first = Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1));
        Assert.Equal("Promoted", first.GetProperty("status").GetString());
        var before = await _user.ModelAsync(project);

        var bad = BadUploads().ToList();
        foreach (var (file, content, _) in bad)
        {
            await _user.UploadAsync(project, $"bad/{file}", content);
        }

        var runs = await _user.WaitForFinishedRunsAsync(project, 1 + bad.Count);
        var unnamed = new List<string>();
        foreach (var (file, _, problem) in bad)
        {
            var run = runs.SingleOrDefault(r => r.TryGetProperty("dataset", out var d) && d.ValueKind == JsonValueKind.Object
                && d.GetProperty("source").GetString()!.EndsWith("bad/" + file, StringComparison.Ordinal));
            Assert.True(run.ValueKind == JsonValueKind.Object, $"No run of {file} with its dataset among: {string.Join("\n", runs.Select(r => r.ToString()[..Math.Min(400, r.ToString().Length)]))}");
            Assert.True(run.GetProperty("status").GetString() == "Rejected", $"{file}: {run}");
            Assert.False(run.GetProperty("validation").GetProperty("isValid").GetBoolean());
            var errors = run.GetProperty("validation").GetProperty("errors").ToString();
            if (!errors.Contains(problem, StringComparison.Ordinal))
            {
                unnamed.Add($"{file}: the report does not name '{problem}': {errors}");
            }

            Assert.False(run.TryGetProperty("modelVersion", out var version) && version.ValueKind == JsonValueKind.Number, $"{file} registered a model");
        }

        Assert.True(unnamed.Count == 0, string.Join("\n", unnamed));
        var after = await _user.ModelAsync(project);
        Assert.Equal(1, await _user.ProductionVersionAsync(project));
        Assert.Equal(before.ToString(), after.ToString());
        var datasets = await _user.DatasetVersionsAsync(project);
        Assert.Equal(1 + bad.Count, datasets.Count);
        Assert.Single(datasets, d => d.GetProperty("isValid").GetBoolean());
    }

    [Fact]
    public async Task The_same_content_uploaded_twice_gives_one_dataset_version_and_one_run()
    {
        const string project = "twice";
        await _user.UploadSpecAsync(project, """{ "label": "cultivar", "trainers": ["lightgbm"] }""");
        var content = Utf8(string.Join('\n', WineLines));
        await _user.UploadAsync(project, "a/wine.csv", content);
        Assert.Single(await _user.WaitForFinishedRunsAsync(project, 1));
        await _user.UploadAsync(project, "b/wine-again.csv", content);
        await _user.UploadAsync(project, "a/wine.csv", content);

        // Give the blob triggers time to see both uploads; they must not start anything.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var upload = Assert.Single(await _user.RunsAsync(project));
        Assert.Single(await _user.DatasetVersionsAsync(project));
        Assert.Equal(1, await _user.ProductionVersionAsync(project));
        Assert.Equal("upload", upload.GetProperty("trigger").GetString());
        Assert.Equal($"upload of {_user.DatasetsContainer}/{project}/a/wine.csv", upload.GetProperty("reason").GetString());

        // A manual run on the same version says who asked and why, in the run and in the list.
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await _user.Admin.PostAsync($"api/projects/{project}/runs", null)).StatusCode);
        var manual = (await _user.WaitForFinishedRunsAsync(project, 2)).Single(r => r.GetProperty("trigger").GetString() == "manual");
        var actor = manual.GetProperty("requestedBy").GetString();
        Assert.False(string.IsNullOrEmpty(actor));
        Assert.Equal($"manual by {actor} on dataset version 1", manual.GetProperty("reason").GetString());
        Assert.Equal(manual.GetProperty("reason").GetString(), (await _user.RunsAsync(project)).Single(r => r.GetProperty("trigger").GetString() == "manual").GetProperty("reason").GetString());
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Columns(Func<string, bool> keep)
    {
        var header = WineLines[0].Split(',');
        var kept = Enumerable.Range(0, header.Length).Where(i => keep(header[i])).ToList();
        return string.Join('\n', WineLines.Select(l => string.Join(',', kept.Select(i => l.Split(',')[i]))));
    }

    private static byte[] Junk()
    {
        var bytes = new byte[4096];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
