using System.Text;
using Serverless.Data.Reading;
using Serverless.Data.Validation;
using Serverless.Domain.Datasets;
using Serverless.Domain.Projects;

namespace Serverless.Data.Tests;

public sealed class BadDatasetTests
{
    [Fact]
    public async Task Empty_file_is_rejected()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("", "empty.csv"));
        Assert.Contains("empty.csv", error.Message);
        Assert.Contains("is empty", error.Message);
    }

    [Fact]
    public async Task Header_only_is_rejected()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,b,label\n", "header.csv"));
        Assert.Contains("header but no data rows", error.Message);
    }

    [Fact]
    public async Task A_first_line_of_numbers_is_reported_as_a_missing_header()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("1,2,3\n4,5,6\n"));
        Assert.Contains("no header row", error.Message);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public async Task Ragged_row_names_its_line_and_field_counts()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,b,c\n1,2,3\n4,5\n7,8,9\n", "ragged.csv"));
        Assert.Equal(3, error.Line);
        Assert.Contains("ragged.csv, line 3", error.Message);
        Assert.Contains("has 2 fields but the header has 3", error.Message);
    }

    [Fact]
    public async Task Duplicate_header_names_the_column()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,b,a\n1,2,3\n"));
        Assert.Equal("a", error.Column);
        Assert.Contains("twice", error.Message);
    }

    [Fact]
    public async Task Empty_header_name_is_rejected()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,,c\n1,2,3\n"));
        Assert.Contains("header column 2 has no name", error.Message);
    }

    [Fact]
    public async Task Binary_junk_is_rejected_as_not_text()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[10] = 0;
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.BytesAsync(junk, "junk.csv"));
        Assert.Contains("junk.csv", error.Message);
        Assert.True(error.Message.Contains("NUL", StringComparison.Ordinal) || error.Message.Contains("UTF-8", StringComparison.Ordinal), error.Message);
    }

    [Fact]
    public async Task Invalid_utf8_names_the_line()
    {
        var bytes = Encoding.UTF8.GetBytes("a,b\n1,2\n3,").Concat(new byte[] { 0xC3, 0x28 }).Concat(Encoding.UTF8.GetBytes("\n")).ToArray();
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.BytesAsync(bytes, "latin.csv"));
        Assert.Contains("not valid UTF-8", error.Message);
    }

    [Fact]
    public async Task Unclosed_quote_names_the_line_where_it_opened()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,b\n1,2\n3,\"oops\n4,5\n"));
        Assert.Equal(3, error.Line);
        Assert.Contains("never closed", error.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_parquet_is_rejected()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,b\n1,2\n", "data.parquet"));
        Assert.Contains("not a Parquet file", error.Message);
    }

    [Fact]
    public async Task Unsupported_extension_is_rejected()
    {
        var error = await Assert.ThrowsAsync<DatasetFormatException>(() => Ingest.TextAsync("a,b\n1,2\n", "data.xlsx"));
        Assert.Contains("unsupported extension", error.Message);
    }

    [Fact]
    public async Task Missing_label_column_is_an_error_listing_the_columns()
    {
        var result = await Ingest.TextAsync(Ingest.Churn(40), spec: new ProjectSpec { Label = "cancelled" });
        var error = Assert.Single(result.Report.Errors, e => e.Rule == ValidationRules.LabelMissing);
        Assert.Contains("'cancelled'", error.Message);
        Assert.Contains("age, plan, visits, churned", error.Message);
        Assert.False(result.Report.IsValid);
    }

    [Fact]
    public async Task One_class_is_an_error()
    {
        var csv = Ingest.Churn(40).Replace(",yes\n", ",no\n", StringComparison.Ordinal);
        var result = await Ingest.TextAsync(csv, spec: new ProjectSpec { Label = "churned" });
        var error = Assert.Single(result.Report.Errors, e => e.Rule == ValidationRules.SingleClass);
        Assert.Equal("churned", error.Column);
        Assert.Contains("'no'", error.Message);
    }

    [Fact]
    public async Task Label_with_missing_values_names_the_rows()
    {
        var csv = "x,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i % 7},{(i == 4 || i == 9 ? "" : (i % 2 == 0 ? "a" : "b"))}"));
        var result = await Ingest.TextAsync(csv);
        var error = Assert.Single(result.Report.Errors, e => e.Rule == ValidationRules.LabelHasMissingValues);
        Assert.Equal([5, 10], error.ExampleRows);
    }

    [Fact]
    public async Task Spec_max_violation_names_the_column_and_the_row()
    {
        var spec = new ProjectSpec
        {
            Label = "churned",
            Validation = new ValidationSpec { Columns = new Dictionary<string, ColumnExpectation> { ["age"] = new() { Type = "number", Min = 0, Max = 120 } } },
        };
        var result = await Ingest.TextAsync(Ingest.Churn(40, i => i == 6 ? "150" : "33"), spec: spec);
        var error = Assert.Single(result.Report.Errors);
        Assert.Equal(ValidationRules.OutOfRange, error.Rule);
        Assert.Equal("age", error.Column);
        Assert.Equal([7], error.ExampleRows);
        Assert.Contains("150 in row 7", error.Message);
    }

    [Fact]
    public async Task Spec_required_allowed_values_and_declared_type_are_checked()
    {
        var spec = new ProjectSpec
        {
            Label = "churned",
            Validation = new ValidationSpec
            {
                Columns = new Dictionary<string, ColumnExpectation>
                {
                    ["plan"] = new() { Type = "category", Values = ["free"] },
                    ["age"] = new() { Type = "number", Required = true },
                    ["visits"] = new() { Type = "boolean" },
                    ["region"] = new() { Type = "category" },
                },
            },
        };
        var result = await Ingest.TextAsync(Ingest.Churn(40, i => i == 2 ? "" : i == 3 ? "old" : "30"), spec: spec);
        var rules = result.Report.Errors.Select(e => (e.Rule, e.Column)).ToList();
        Assert.Contains((ValidationRules.UnknownCategory, "plan"), rules);
        Assert.Contains((ValidationRules.RequiredMissing, "age"), rules);
        Assert.Contains((ValidationRules.TypeMismatch, "age"), rules);
        Assert.Contains((ValidationRules.TypeMismatch, "visits"), rules);
        Assert.Contains((ValidationRules.ColumnMissing, "region"), rules);
        Assert.Equal([4], result.Report.Errors.Single(e => e.Rule == ValidationRules.TypeMismatch && e.Column == "age").ExampleRows);
        Assert.Contains("'pro'", result.Report.Errors.Single(e => e.Rule == ValidationRules.UnknownCategory).Message);
    }

    [Fact]
    public async Task A_slice_column_that_is_absent_or_the_label_is_an_error_naming_the_field_and_column()
    {
        var spec = new ProjectSpec { Label = "churned", Slices = ["plan", "regoin", "churned"] };
        var result = await Ingest.TextAsync(Ingest.Churn(40), spec: spec);
        Assert.False(result.Report.IsValid);
        var missing = Assert.Single(result.Report.Errors, e => e.Rule == ValidationRules.ColumnMissing);
        Assert.Equal("regoin", missing.Column);
        Assert.Contains("'slices'", missing.Message);
        var label = Assert.Single(result.Report.Errors, e => e.Rule == ValidationRules.SliceIsLabel);
        Assert.Equal("churned", label.Column);
        Assert.DoesNotContain(result.Report.Errors, e => e.Column == "plan");
    }

    [Fact]
    public async Task Slice_columns_in_the_dataset_are_valid()
    {
        var result = await Ingest.TextAsync(Ingest.Churn(40), spec: new ProjectSpec { Label = "churned", Slices = ["plan", "age"] });
        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task Too_many_missing_values_in_a_feature_is_an_error()
    {
        var spec = new ProjectSpec { Label = "churned", Validation = new ValidationSpec { MaxMissingFraction = 0.2 } };
        var result = await Ingest.TextAsync(Ingest.Churn(40, i => i % 3 == 0 ? "NA" : "41"), spec: spec);
        var error = Assert.Single(result.Report.Errors);
        Assert.Equal(ValidationRules.MissingFraction, error.Rule);
        Assert.Equal("age", error.Column);
        Assert.Equal([1, 4, 7, 10, 13], error.ExampleRows);
    }

    [Fact]
    public async Task Too_few_rows_is_an_error()
    {
        var result = await Ingest.TextAsync(Ingest.Churn(12), spec: new ProjectSpec { Validation = new ValidationSpec { MinRows = 100 } });
        Assert.Contains(result.Report.Errors, e => e.Rule == ValidationRules.TooFewRows && e.Message.Contains("12 rows", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_feature_equal_to_the_label_is_leakage()
    {
        var csv = "x,copy,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i % 5},{(i % 3 == 0 ? "a" : "b")},{(i % 3 == 0 ? "a" : "b")}"));
        var result = await Ingest.TextAsync(csv);
        var error = Assert.Single(result.Report.Errors);
        Assert.Equal((ValidationRules.LabelLeakage, "copy"), (error.Rule, error.Column));
        Assert.DoesNotContain("copy", result.Features);
    }

    [Fact]
    public async Task Removed_or_retyped_column_and_changed_label_break_the_schema()
    {
        var previous = new DatasetSchema(
        [
            new ColumnSchema("age", ColumnKind.Numeric), new ColumnSchema("plan", ColumnKind.Numeric),
            new ColumnSchema("income", ColumnKind.Numeric), new ColumnSchema("visits", ColumnKind.Numeric), new ColumnSchema("left", ColumnKind.Categorical),
        ]);
        var result = await Ingest.TextAsync(Ingest.Churn(40), spec: new ProjectSpec { Label = "churned" }, previous: previous);
        var breaking = result.Report.Errors.Where(e => e.Rule == ValidationRules.SchemaBreakingChange).Select(e => e.Column!).Order(StringComparer.Ordinal);
        Assert.Equal(["churned", "income", "left", "plan"], breaking);
        Assert.Contains("changed from numeric to categorical", result.Report.Errors.Single(e => e.Column == "plan").Message);
    }

    [Fact]
    public async Task Added_column_is_only_a_warning()
    {
        var previous = new DatasetSchema([new ColumnSchema("age", ColumnKind.Numeric), new ColumnSchema("plan", ColumnKind.Categorical), new ColumnSchema("churned", ColumnKind.Categorical)]);
        var result = await Ingest.TextAsync(Ingest.Churn(40), previous: previous);
        Assert.True(result.Report.IsValid, string.Join("; ", result.Report.Errors.Select(e => e.Message)));
        Assert.Contains(result.Report.Warnings, w => w.Rule == ValidationRules.SchemaAddedColumn && w.Column == "visits");
    }
}
