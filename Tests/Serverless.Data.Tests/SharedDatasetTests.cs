using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class SharedDatasetTests
{
    [Fact]
    public async Task Wine_is_thirteen_numeric_features_and_a_three_class_label()
    {
        var result = await Ingest.SharedAsync("wine.csv", new ProjectSpec { Label = "cultivar" });

        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
        Assert.Equal(178, result.RowCount);
        Assert.Equal(14, result.ColumnCount);
        Assert.Equal(13, result.Schema.Columns.Count(c => c.Kind == ColumnKind.Numeric));
        Assert.Equal(ColumnKind.Categorical, result.Schema.Find("cultivar")!.Kind);
        Assert.Equal(TaskKind.Multiclass, result.Task);
        Assert.Equal(["class_0", "class_1", "class_2"], result.Classes);
        Assert.Equal(13, result.Features.Count);
        Assert.DoesNotContain("cultivar", result.Features);
    }

    [Fact]
    public async Task Pima_has_missing_values_in_numeric_columns_and_a_binary_label()
    {
        var result = await Ingest.SharedAsync("pima2.csv", new ProjectSpec { Label = "diabetes" });

        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
        Assert.Equal(768, result.RowCount);
        Assert.Equal(8, result.Schema.Columns.Count(c => c.Kind == ColumnKind.Numeric));
        var insulin = Assert.IsType<NumericColumn>(result.Frame["insulin"]);
        Assert.True(insulin.Values.Count(double.IsNaN) > 300);
        Assert.True(result.Profile.Find("triceps")!.MissingCount > 0);
        Assert.Equal(TaskKind.Binary, result.Task);
        Assert.Equal(["neg", "pos"], result.Classes);
        Assert.Equal(500, result.Profile.ClassCounts!["neg"]);
        Assert.Equal(268, result.Profile.ClassCounts!["pos"]);
    }

    [Fact]
    public async Task Servo_quoted_codes_are_categorical_and_the_numeric_label_is_regression()
    {
        var result = await Ingest.SharedAsync("servo.csv", new ProjectSpec { Label = "Class" });

        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
        Assert.Equal(ColumnKind.Categorical, result.Schema.Find("Motor")!.Kind);
        Assert.Equal(ColumnKind.Categorical, result.Schema.Find("Screw")!.Kind);
        Assert.Equal(ColumnKind.Categorical, result.Schema.Find("Pgain")!.Kind);
        Assert.Equal(ColumnKind.Categorical, result.Schema.Find("Vgain")!.Kind);
        Assert.Equal(ColumnKind.Numeric, result.Schema.Find("Class")!.Kind);
        Assert.Equal(TaskKind.Regression, result.Task);
        Assert.Empty(result.Classes);
        Assert.Equal(["Motor", "Screw", "Pgain", "Vgain"], result.Features);
    }

    [Fact]
    public async Task Diabetes_is_numeric_regression_and_the_last_column_is_the_default_label()
    {
        var result = await Ingest.SharedAsync("diabetes.csv");

        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
        Assert.Equal("progression", result.Label);
        Assert.Equal(TaskKind.Regression, result.Task);
        Assert.All(result.Schema.Columns, c => Assert.Equal(ColumnKind.Numeric, c.Kind));
        Assert.Equal(10, result.Features.Count);
    }
}
