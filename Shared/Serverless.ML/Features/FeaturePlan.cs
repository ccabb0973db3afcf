using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.ML.Features;

/// <summary>
/// The fitted featurization: how each raw input column becomes part of the <c>Features</c> vector the trainers see.
/// It is fitted on the training frame only (means, standardization, vocabularies), applied identically to every frame
/// scored by ML.NET, and exported into the ONNX graph by <see cref="Export.OnnxModelExporter"/>, so serving cannot skew from training.
/// </summary>
public sealed record FeaturePlan(IReadOnlyList<FeatureSlot> Slots, bool Standardized)
{
    /// <summary>The length of the feature vector.</summary>
    public int Width => Slots.Sum(s => s.Width);

    /// <summary>
    /// Fits the plan on <paramref name="train"/>: numeric and boolean inputs get the training mean for imputation
    /// (and, when <paramref name="standardize"/>, mean/standard-deviation scaling); categorical inputs use the
    /// vocabulary in <see cref="SignatureInput.Categories"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An input is missing from the frame, has the wrong column type, or is of a kind that cannot be a feature.</exception>
    public static FeaturePlan Fit(TabularFrame train, IReadOnlyList<SignatureInput> inputs, bool standardize)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(inputs);
        var slots = new List<FeatureSlot>(inputs.Count);
        foreach (var input in inputs)
        {
            if (!train.Contains(input.Name))
            {
                throw new ArgumentException($"The training data has no column '{input.Name}' (a model input).", nameof(train));
            }

            var column = train[input.Name];
            slots.Add(input.Kind switch
            {
                ColumnKind.Numeric or ColumnKind.Boolean => FitNumeric(input, column, standardize),
                ColumnKind.Categorical => new CategoricalSlot(input.Name, input.Categories ?? []),
                _ => throw new ArgumentException($"Input '{input.Name}' is {input.Kind}; only numeric, boolean and categorical columns can be features.", nameof(inputs)),
            });
        }

        return new FeaturePlan(slots, standardize);
    }

    /// <summary>The feature matrix of <paramref name="frame"/>, row-major (<c>RowCount × Width</c>), as float.</summary>
    /// <exception cref="ArgumentException">The frame lacks an input column or holds it with the wrong type.</exception>
    public float[] Transform(TabularFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var width = Width;
        var rows = frame.RowCount;
        var matrix = new float[(long)rows * width];
        var offset = 0;
        foreach (var slot in Slots)
        {
            if (!frame.Contains(slot.Name))
            {
                throw new ArgumentException($"The data has no column '{slot.Name}' (a model input).", nameof(frame));
            }

            var column = frame[slot.Name];
            switch (slot)
            {
                case NumericSlot numeric:
                    var values = AsNumeric(column).Values;
                    for (var row = 0; row < rows; row++)
                    {
                        matrix[((long)row * width) + offset] = numeric.Apply(values[row]);
                    }

                    break;
                case CategoricalSlot categorical:
                    var text = AsText(column).Values;
                    var index = new Dictionary<string, int>(categorical.Categories.Count, StringComparer.Ordinal);
                    for (var i = 0; i < categorical.Categories.Count; i++)
                    {
                        index[categorical.Categories[i]] = i;
                    }

                    for (var row = 0; row < rows; row++)
                    {
                        if (text[row] is { } value && index.TryGetValue(value, out var position))
                        {
                            matrix[((long)row * width) + offset + position] = 1f;
                        }
                    }

                    break;
            }

            offset += slot.Width;
        }

        return matrix;
    }

    private static NumericSlot FitNumeric(SignatureInput input, FrameColumn column, bool standardize)
    {
        var values = AsNumeric(column).Values;
        double sum = 0;
        long count = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                sum += value;
                count++;
            }
        }

        var mean = count == 0 ? 0.0 : sum / count;
        if (!standardize)
        {
            return new NumericSlot(input.Name, input.Kind, (float)mean, 0f, 1f);
        }

        double squares = 0;
        foreach (var value in values)
        {
            if (!double.IsNaN(value))
            {
                squares += (value - mean) * (value - mean);
            }
        }

        var deviation = count > 1 ? Math.Sqrt(squares / (count - 1)) : 0.0;
        var scale = deviation > 1e-12 ? 1.0 / deviation : 1.0;
        return new NumericSlot(input.Name, input.Kind, (float)mean, (float)mean, (float)scale);
    }

    private static NumericColumn AsNumeric(FrameColumn column) =>
        column as NumericColumn ?? throw new ArgumentException($"Column '{column.Name}' holds text; the model expects numbers.", nameof(column));

    private static TextColumn AsText(FrameColumn column) =>
        column as TextColumn ?? throw new ArgumentException($"Column '{column.Name}' holds numbers; the model expects categories (text).", nameof(column));
}
