using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Training;
using Serverless.Testing;

namespace Serverless.ML.Tests;

/// <summary>A shared dataset split into train/validation/test, with its label and task.</summary>
internal sealed record SplitDataset(string Name, string Label, TaskKind Task, TabularFrame Train, TabularFrame Validation, TabularFrame Test)
{
    public TrainingSetup Setup(int seed = 7) =>
        TrainingSetup.FromTrainingFrame(Train, Label, Task, Train.Columns.Select(c => c.Name).Where(n => n != Label).ToList(), seed);
}

internal static class Datasets
{
    private static readonly Dictionary<string, (string Label, TaskKind Task)> Known = new()
    {
        ["wine"] = ("cultivar", TaskKind.Multiclass),
        ["pima2"] = ("diabetes", TaskKind.Binary),
        ["servo"] = ("Class", TaskKind.Regression),
        ["diabetes"] = ("progression", TaskKind.Regression),
    };

    /// <summary>The dataset as published, split 70/15/15 with a fixed seed.</summary>
    public static SplitDataset Load(string name)
    {
        var (label, task) = Known[name];
        var frame = CsvFrames.Read(SharedData.PathOf(name + ".csv"));
        var order = Enumerable.Range(0, frame.RowCount).ToArray();
        new Random(42).Shuffle(order);
        var trainCount = (int)(order.Length * 0.7);
        var validationCount = (int)(order.Length * 0.15);
        return new SplitDataset(name, label, task,
            frame.Take(order[..trainCount]),
            frame.Take(order[trainCount..(trainCount + validationCount)]),
            frame.Take(order[(trainCount + validationCount)..]));
    }

    /// <summary>
    /// The dataset with the hard cases added: a categorical column <c>segment</c> (seeded), missing values in the first
    /// numeric feature of every split, and in the test split a segment value never seen in training plus missing segments.
    /// </summary>
    public static SplitDataset LoadWithHardCases(string name)
    {
        var data = Load(name);
        return data with
        {
            Train = Harden(data.Train, data.Label, 1, unseen: false),
            Validation = Harden(data.Validation, data.Label, 2, unseen: false),
            Test = Harden(data.Test, data.Label, 3, unseen: true),
        };
    }

    private static TabularFrame Harden(TabularFrame frame, string label, int seed, bool unseen)
    {
        var random = new Random(seed);
        string[] vocabulary = ["north", "south", "east", "west"];
        var segments = new string?[frame.RowCount];
        for (var row = 0; row < segments.Length; row++)
        {
            segments[row] = unseen && row % 5 == 0 ? "atlantis" : unseen && row % 7 == 0 ? null : vocabulary[random.Next(vocabulary.Length)];
        }

        var columns = new List<FrameColumn>();
        var blanked = false;
        foreach (var column in frame.Columns)
        {
            if (!blanked && column.Name != label && column is NumericColumn numeric)
            {
                var values = (double[])numeric.Values.Clone();
                for (var row = 0; row < values.Length; row += 6)
                {
                    values[row] = double.NaN;
                }

                columns.Add(numeric with { Values = values });
                blanked = true;
            }
            else
            {
                columns.Add(column);
            }
        }

        columns.Insert(0, new TextColumn("segment", ColumnKind.Categorical, segments));
        return new TabularFrame(columns);
    }
}
