namespace Serverless.Monitoring.Performance;

/// <summary>Accuracy and macro-F1 of labelled classifier predictions.</summary>
internal static class ClassificationMetrics
{
    public static double Accuracy(IReadOnlyList<LabelledClass> labelled) =>
        (double)labelled.Count(p => string.Equals(p.Predicted, p.Actual, StringComparison.Ordinal)) / labelled.Count;

    /// <summary>
    /// Mean over every class that occurs as a prediction or an actual label of F1 = 2·TP / (2·TP + FP + FN)
    /// (scikit-learn's <c>f1_score(average="macro")</c> over the union of labels).
    /// </summary>
    public static double MacroF1(IReadOnlyList<LabelledClass> labelled)
    {
        var classes = labelled.Select(p => p.Predicted).Concat(labelled.Select(p => p.Actual!)).Distinct(StringComparer.Ordinal);
        var scores = new List<double>();
        foreach (var label in classes)
        {
            var truePositives = labelled.Count(p => p.Predicted == label && p.Actual == label);
            var falsePositives = labelled.Count(p => p.Predicted == label && p.Actual != label);
            var falseNegatives = labelled.Count(p => p.Predicted != label && p.Actual == label);
            scores.Add(2.0 * truePositives / ((2.0 * truePositives) + falsePositives + falseNegatives));
        }

        return scores.Average();
    }
}
