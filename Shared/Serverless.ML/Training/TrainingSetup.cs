using System.Globalization;
using Serverless.Domain.Datasets;
using Serverless.Domain.Models;

namespace Serverless.ML.Training;

/// <summary>
/// What every candidate of one training run shares: the label, the task, the classes (sorted, ordinal) for classification,
/// the raw inputs (categorical ones with the training vocabulary) and the seed.
/// </summary>
public sealed record TrainingSetup(
    string Label,
    TaskKind Task,
    IReadOnlyList<string> Classes,
    IReadOnlyList<SignatureInput> Inputs,
    int Seed)
{
    /// <summary>
    /// Threads each tree trainer uses (default: one per core). Part of the settings that make a model reproducible:
    /// the same data, seed and thread count give the same model.
    /// </summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The signature of a model trained with this setup.</summary>
    public ModelSignature Signature => new(Task, Label, Inputs, Task == TaskKind.Regression ? null : Classes);

    /// <summary>
    /// Builds the setup from the training frame: classes are the label's distinct values, sorted ordinally;
    /// categorical vocabularies are the feature's distinct non-empty training values, sorted ordinally.
    /// </summary>
    /// <exception cref="ArgumentException">The label or a feature is absent, a feature is not usable, or classes are too few.</exception>
    public static TrainingSetup FromTrainingFrame(TabularFrame train, string label, TaskKind task, IReadOnlyList<string> features, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(features);
        if (!train.Contains(label))
        {
            throw new ArgumentException($"The training data has no label column '{label}'.", nameof(label));
        }

        var classes = task == TaskKind.Regression ? [] : LabelValues.Distinct(train[label]);
        if (task == TaskKind.Binary && classes.Count != 2)
        {
            throw new ArgumentException($"A binary task needs exactly 2 label values in column '{label}'; found {classes.Count}.", nameof(task));
        }

        if (task == TaskKind.Multiclass && classes.Count < 2)
        {
            throw new ArgumentException($"A multiclass task needs at least 2 label values in column '{label}'; found {classes.Count}.", nameof(task));
        }

        var inputs = new List<SignatureInput>(features.Count);
        foreach (var name in features)
        {
            if (!train.Contains(name))
            {
                throw new ArgumentException($"The training data has no feature column '{name}'.", nameof(features));
            }

            var column = train[name];
            inputs.Add(column.Kind switch
            {
                ColumnKind.Numeric or ColumnKind.Boolean => new SignatureInput(name, column.Kind),
                ColumnKind.Categorical => new SignatureInput(name, ColumnKind.Categorical, Vocabulary(column)),
                _ => throw new ArgumentException($"Feature column '{name}' is {column.Kind}; only numeric, boolean and categorical columns can be features.", nameof(features)),
            });
        }

        return new TrainingSetup(label, task, classes, inputs, seed);
    }

    private static List<string> Vocabulary(FrameColumn column)
    {
        var text = column as TextColumn ?? throw new ArgumentException($"Categorical column '{column.Name}' must hold text.", nameof(column));
        return text.Values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}

/// <summary>Label values of classification tasks, as the strings the model's <c>label</c> output uses.</summary>
public static class LabelValues
{
    /// <summary>The label value of one row as class text (numbers formatted invariantly, e.g. <c>1</c> not <c>1.0</c>); null when missing.</summary>
    public static string? ClassOf(FrameColumn column, int row)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column switch
        {
            TextColumn text => string.IsNullOrEmpty(text.Values[row]) ? null : text.Values[row],
            NumericColumn numeric => double.IsNaN(numeric.Values[row]) ? null : numeric.Values[row].ToString(CultureInfo.InvariantCulture),
            _ => column.Format(row),
        };
    }

    /// <summary>
    /// Every row's <see cref="ClassOf"/> at once: a numeric label's values are formatted once per distinct value, not once
    /// per row (a million-row binary label is two strings, not a million).
    /// </summary>
    public static string?[] ClassesOf(FrameColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        if (column is not NumericColumn numeric)
        {
            return Enumerable.Range(0, column.Length).Select(row => ClassOf(column, row)).ToArray();
        }

        var texts = new Dictionary<double, string>();
        var result = new string?[numeric.Values.Length];
        for (var row = 0; row < result.Length; row++)
        {
            var value = numeric.Values[row];
            if (double.IsNaN(value))
            {
                continue;
            }

            if (!texts.TryGetValue(value, out var text))
            {
                texts[value] = text = value.ToString(CultureInfo.InvariantCulture);
            }

            result[row] = text;
        }

        return result;
    }

    /// <summary>The distinct non-missing label values, sorted ordinally.</summary>
    public static IReadOnlyList<string> Distinct(FrameColumn column)
    {
        ArgumentNullException.ThrowIfNull(column);
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in ClassesOf(column))
        {
            if (value is not null)
            {
                set.Add(value);
            }
        }

        return set.Order(StringComparer.Ordinal).ToList();
    }
}
