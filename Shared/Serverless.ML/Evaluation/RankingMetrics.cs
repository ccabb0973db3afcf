namespace Serverless.ML.Evaluation;

/// <summary>Threshold-free binary metrics computed from positive-class scores.</summary>
internal static class RankingMetrics
{
    /// <summary>ROC AUC as the Mann-Whitney statistic: the chance a random positive outscores a random negative, ties counting half. NaN with one class only.</summary>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).ToArray();
        double positiveRankSum = 0;
        long positiveCount = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            var averageRank = ((start + end) / 2.0) + 1;
            for (var i = start; i <= end; i++)
            {
                if (positives[order[i]])
                {
                    positiveRankSum += averageRank;
                    positiveCount++;
                }
            }

            start = end + 1;
        }

        var negativeCount = order.Length - positiveCount;
        if (positiveCount == 0 || negativeCount == 0)
        {
            return double.NaN;
        }

        return (positiveRankSum - (positiveCount * (positiveCount + 1) / 2.0)) / (positiveCount * (double)negativeCount);
    }

    /// <summary>
    /// Area under the precision-recall curve as average precision: over thresholds from the highest score down
    /// (tied scores form one threshold), the sum of (recall gain × precision). NaN without positives.
    /// </summary>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<bool> positives)
    {
        var order = Enumerable.Range(0, scores.Count).OrderByDescending(i => scores[i]).ToArray();
        var totalPositives = positives.Count(p => p);
        if (totalPositives == 0)
        {
            return double.NaN;
        }

        double area = 0;
        long truePositives = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && scores[order[end + 1]] == scores[order[start]])
            {
                end++;
            }

            long gained = 0;
            for (var i = start; i <= end; i++)
            {
                if (positives[order[i]])
                {
                    gained++;
                }
            }

            truePositives += gained;
            area += (double)gained / totalPositives * ((double)truePositives / (end + 1));
            start = end + 1;
        }

        return area;
    }
}
