using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Serverless.Testing;

namespace Serverless.Functions.Dashboard.Tests;

/// <summary>
/// One project trained twice on the real host, shared by the experiment-tracking browser tests (trained once per host):
/// dataset v1 is wine with a categorical <c>region</c> column (the spec's slice); v2 keeps the first 150 rows, adds one
/// to every <c>alcohol</c> value and adds a numeric <c>vintage</c> column. Each upload's run ends before the next starts.
/// </summary>
public sealed record TrackedProject(string Name, JsonElement First, JsonElement Second)
{
    public const string Project = "dashtrack";
    public const int SecondRows = 150;

    private static readonly SemaphoreSlim Training = new(1, 1);
    private static readonly Dictionary<DashboardHost, TrackedProject> Trained = [];
    private static readonly string[] EndStates = ["Promoted", "Registered", "Rejected", "Failed", "ApprovalRejected", "ApprovalTimedOut", "Terminated"];

    public string FirstId => First.GetProperty("id").GetString()!;

    public string SecondId => Second.GetProperty("id").GetString()!;

    public static async Task<TrackedProject> EnsureAsync(DashboardHost host)
    {
        await Training.WaitAsync();
        try
        {
            if (!Trained.TryGetValue(host, out var project))
            {
                project = await TrainAsync(host);
                Trained[host] = project;
            }

            return project;
        }
        finally
        {
            Training.Release();
        }
    }

    private static async Task<TrackedProject> TrainAsync(DashboardHost host)
    {
        using var api = new OperatorSession(host);
        var wine = (await File.ReadAllLinesAsync(SharedData.PathOf("wine.csv"))).Where(l => l.Length > 0).ToList();
        string[] regions = ["north", "south", "east"];
        var v1 = new List<string> { wine[0] + ",region" };
        v1.AddRange(wine.Skip(1).Select((line, i) => $"{line},{regions[i % 3]}"));

        var header = wine[0].Split(',');
        var alcohol = Array.IndexOf(header, "alcohol");
        var v2 = new List<string> { wine[0] + ",region,vintage" };
        v2.AddRange(wine.Skip(1).Take(SecondRows).Select((line, i) =>
        {
            var cells = line.Split(',');
            cells[alcohol] = (double.Parse(cells[alcohol], CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);
            return $"{string.Join(',', cells)},{regions[i % 3]},{2000 + i % 10}";
        }));

        await api.StartProjectAsync(Project, """{ "label": "cultivar", "trainers": ["lightgbm"], "slices": ["region"] }""", "v1.csv", string.Join('\n', v1));
        var first = await WaitForEndAsync(api, 1);
        await api.StartProjectAsync(Project, """{ "label": "cultivar", "trainers": ["lightgbm"], "slices": ["region"] }""", "v2.csv", string.Join('\n', v2));
        var second = await WaitForEndAsync(api, 2);
        return new TrackedProject(Project, first, second);
    }

    private static async Task<JsonElement> WaitForEndAsync(OperatorSession api, int runs)
    {
        JsonElement run = default;
        await OperatorSession.WaitUntilAsync(async () =>
        {
            var list = (await api.Admin.GetFromJsonAsync<JsonElement>($"api/runs?project={Project}")).GetProperty("runs");
            if (list.GetArrayLength() < runs)
            {
                return false;
            }

            run = list[0];
            return EndStates.Contains(run.GetProperty("status").GetString());
        }, $"run {runs} of '{Project}' to end", TimeSpan.FromMinutes(4));
        return await api.Admin.GetFromJsonAsync<JsonElement>($"api/runs/{run.GetProperty("id").GetString()}");
    }
}
