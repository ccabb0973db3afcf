using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Features;
using Xunit;

namespace Serverless.ML.Tests;

public sealed class FeaturePlanTests
{
    private static readonly TabularFrame Train = new([
        new NumericColumn("size", [1, 3, double.NaN, 8]),
        new NumericColumn("flag", ColumnKind.Boolean, [1, 0, 1, double.NaN]),
        new TextColumn("color", ColumnKind.Categorical, ["red", "blue", null, "red"]),
    ]);

    private static readonly SignatureInput[] Inputs =
        [new("size", ColumnKind.Numeric), new("flag", ColumnKind.Boolean), new("color", ColumnKind.Categorical, ["blue", "red"])];

    [Fact]
    public void Missing_values_take_the_training_mean_and_unknown_categories_are_all_zeros()
    {
        var plan = FeaturePlan.Fit(Train, Inputs, standardize: false);
        var frame = new TabularFrame([
            new NumericColumn("size", [double.NaN]),
            new NumericColumn("flag", ColumnKind.Boolean, [double.NaN]),
            new TextColumn("color", ColumnKind.Categorical, ["green"]),
        ]);

        var row = plan.Transform(frame);

        Assert.Equal(4, plan.Width);
        Assert.Equal([4f, 2f / 3, 0f, 0f], row);
        Assert.Equal([1f, 1f, 0f, 1f], plan.Transform(Train).AsSpan(0, 4).ToArray());
    }

    [Fact]
    public void Standardized_plans_center_and_scale_numbers_but_not_one_hot_columns()
    {
        var plan = FeaturePlan.Fit(Train, Inputs, standardize: true);

        var matrix = plan.Transform(Train);
        var sizes = Enumerable.Range(0, 4).Select(r => matrix[r * 4]).ToArray();

        Assert.Equal(0, sizes.Average(), 5);
        Assert.Equal(1f, matrix[(3 * 4) + 3]);
    }

    [Fact]
    public void A_column_of_the_wrong_type_is_named_in_the_error()
    {
        var plan = FeaturePlan.Fit(Train, Inputs, standardize: false);
        var frame = new TabularFrame([
            new TextColumn("size", ColumnKind.Categorical, ["big"]),
            new NumericColumn("flag", ColumnKind.Boolean, [1]),
            new TextColumn("color", ColumnKind.Categorical, ["red"]),
        ]);

        var error = Assert.Throws<ArgumentException>(() => plan.Transform(frame));
        Assert.Contains("'size'", error.Message, StringComparison.Ordinal);
    }
}
