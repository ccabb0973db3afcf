using System.Text;
using System.Text.Json;
using Serverless.Data.Validation;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class WarningTests
{
    [Fact]
    public async Task Constant_and_id_like_columns_are_dropped_with_warnings()
    {
        var csv = new StringBuilder("customer_id,row,country,age,churned\n");
        for (var i = 0; i < 60; i++)
        {
            csv.Append(1000 + (i * 37 % 60)).Append(',').Append(i + 1).Append(",NL,").Append(20 + (i % 30)).Append(',').Append(i % 2 == 0 ? "yes" : "no").Append('\n');
        }

        var result = await Ingest.TextAsync(csv.ToString());

        Assert.True(result.Report.IsValid);
        Assert.Equal(["age"], result.Features);
        var dropped = result.Report.DroppedColumns.ToDictionary(d => d.Column, d => d.Rule);
        Assert.Equal(ValidationRules.IdLikeColumn, dropped["customer_id"]);
        Assert.Equal(ValidationRules.IdLikeColumn, dropped["row"]);
        Assert.Equal(ValidationRules.ConstantColumn, dropped["country"]);
        Assert.Equal(3, result.Report.Warnings.Count(w => w.Rule is ValidationRules.IdLikeColumn or ValidationRules.ConstantColumn));
    }

    [Fact]
    public async Task Explicit_features_are_kept_but_warned_about()
    {
        var csv = "a,b,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"1,{i % 4},{(i % 2 == 0 ? "p" : "q")}"));
        var result = await Ingest.TextAsync(csv, spec: new ProjectSpec { Features = ["a", "b"] });
        Assert.Equal(["a", "b"], result.Features);
        Assert.Contains(result.Report.Warnings, w => w.Rule == ValidationRules.ConstantColumn && w.Column == "a");
        Assert.Empty(result.Report.DroppedColumns);
    }

    [Fact]
    public async Task Duplicate_rows_and_class_imbalance_are_warnings()
    {
        var rows = Enumerable.Range(0, 50).Select(i => $"{i},{i % 7},{(i < 3 ? "rare" : "common")}").ToList();
        rows.Add("5,5,common");
        rows.Add("7,0,common");
        var result = await Ingest.TextAsync("x,z,label\n" + string.Join("\n", rows));

        Assert.True(result.Report.IsValid);
        var duplicates = Assert.Single(result.Report.Warnings, w => w.Rule == ValidationRules.DuplicateRows);
        Assert.Equal([51, 52], duplicates.ExampleRows);
        var imbalance = Assert.Single(result.Report.Warnings, w => w.Rule == ValidationRules.ClassImbalance);
        Assert.Contains("'rare'", imbalance.Message);
    }

    [Fact]
    public async Task Numeric_labels_infer_binary_multiclass_or_regression()
    {
        static string Csv(Func<int, string> label) => "x,y\n" + string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i % 9},{label(i)}"));
        Assert.Equal(TaskKind.Binary, (await Ingest.TextAsync(Csv(i => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Task);
        Assert.Equal(TaskKind.Multiclass, (await Ingest.TextAsync(Csv(i => (1 + (i % 5)).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Task);
        Assert.Equal(TaskKind.Regression, (await Ingest.TextAsync(Csv(i => (i * 1.7).ToString(System.Globalization.CultureInfo.InvariantCulture)))).Task);
        var declared = await Ingest.TextAsync(Csv(i => (i % 2).ToString(System.Globalization.CultureInfo.InvariantCulture)), spec: new ProjectSpec { Task = TaskKind.Regression });
        Assert.Equal(TaskKind.Regression, declared.Task);
        var label = await Ingest.TextAsync("a,target,z\n1,x,3\n2,y,4\n");
        Assert.Equal("target", label.Label);
    }

    [Fact]
    public async Task Regression_on_a_text_label_and_binary_with_three_classes_are_errors()
    {
        var csv = "x,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i % 4},{"abc"[i % 3]}"));
        var regression = await Ingest.TextAsync(csv, spec: new ProjectSpec { Task = TaskKind.Regression });
        Assert.Contains(regression.Report.Errors, e => e.Rule == ValidationRules.TaskMismatch);
        var binary = await Ingest.TextAsync(csv, spec: new ProjectSpec { Task = TaskKind.Binary });
        Assert.Contains(binary.Report.Errors, e => e.Rule == ValidationRules.TaskMismatch && e.Message.Contains("3 classes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_round_trips_through_json_with_stable_rule_ids()
    {
        var spec = new ProjectSpec { Label = "churned", Validation = new ValidationSpec { MinRows = 1000 } };
        var report = (await Ingest.TextAsync(Ingest.Churn(30), spec: spec)).Report;

        var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        Assert.Contains("\"rule\":\"too-few-rows\"", json);
        Assert.Contains("\"isValid\":false", json);
        var back = JsonSerializer.Deserialize<ValidationReport>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(report.Errors, back.Errors, (a, b) => a.Rule == b.Rule && a.Message == b.Message && a.ExampleRows.SequenceEqual(b.ExampleRows));
        Assert.False(back.IsValid);
    }
}
