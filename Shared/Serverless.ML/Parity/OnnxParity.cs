using Serverless.Domain.Datasets;
using Serverless.Domain.Models;
using Serverless.ML.Training;
using Serverless.Onnx;

namespace Serverless.ML.Parity;

/// <summary>
/// The parity gate: the exported ONNX model, run by ONNX Runtime, must give ML.NET's labels, probabilities and values
/// on the test frame. A candidate whose report has <see cref="ParityReport.Passed"/> false must never be registered.
/// Above <see cref="MaxRows"/> test rows the gate runs on that many evenly spaced rows (see <see cref="SampleRows"/>).
/// </summary>
public static class OnnxParity
{
    public const double AbsoluteTolerance = 1e-4;
    public const double RelativeTolerance = 1e-4;

    /// <summary>
    /// Most test rows the gate scores twice. The tolerance stays per value (every compared probability or value must be
    /// within 1e-4), so the sample only bounds how many rows are looked at: the export is one deterministic graph of the same
    /// trees and transforms for every row, and a conversion fault (a split threshold, a missing-value branch, a category
    /// mapping) shows in the many rows that reach it. 10,000 evenly spaced rows of the already shuffled test split cover
    /// every leaf reached by more than about 0.01 % of the rows; 200,000 rows cost seconds of the train step for no more cover.
    /// </summary>
    public const int MaxRows = 10_000;

    /// <summary>Loads <paramref name="onnx"/> with ONNX Runtime, scores <paramref name="test"/> (at most <see cref="MaxRows"/> of its rows) with both, and compares.</summary>
    /// <remarks>The report's <see cref="ParityReport.WorstRow"/> is a row of <paramref name="test"/>, also when a sample was compared.</remarks>
    /// <exception cref="OnnxModelException">ONNX Runtime cannot load or run the model.</exception>
    public static ParityReport Check(TrainedCandidate candidate, byte[] onnx, TabularFrame test)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentNullException.ThrowIfNull(test);
        var rows = SampleRows(test.RowCount);
        var compared = rows is null ? test : test.Take(rows);
        using var model = OnnxModel.Load(onnx);
        var report = Compare(candidate.Predict(compared), model.Score(compared));
        return rows is not null && report.WorstRow >= 0 ? report with { WorstRow = rows[report.WorstRow] } : report;
    }

    /// <summary>The rows the gate compares: null for all of them (at most <see cref="MaxRows"/>), else <see cref="MaxRows"/> evenly spaced row indexes, first row included.</summary>
    public static IReadOnlyList<int>? SampleRows(int rowCount) =>
        rowCount <= MaxRows ? null : Enumerable.Range(0, MaxRows).Select(i => (int)((long)i * rowCount / MaxRows)).ToArray();

    /// <summary>Compares two prediction sets of the same rows.</summary>
    public static ParityReport Compare(ModelPredictions mlNet, ModelPredictions onnx)
    {
        ArgumentNullException.ThrowIfNull(mlNet);
        ArgumentNullException.ThrowIfNull(onnx);
        var worst = new Worst();
        var rows = mlNet.RowCount;
        if (onnx.RowCount != rows)
        {
            return new ParityReport(false, rows, 0, Math.Abs(onnx.RowCount - rows), double.PositiveInfinity, -1, $"row count ({onnx.RowCount} from ONNX)", rows, onnx.RowCount, 0);
        }

        var labelMismatches = 0;
        var valueMismatches = 0;
        if (mlNet.Task == TaskKind.Regression)
        {
            var expected = mlNet.Values ?? [];
            var actual = onnx.Values ?? [];
            for (var row = 0; row < rows; row++)
            {
                var allowance = Math.Max(AbsoluteTolerance, RelativeTolerance * Math.Abs(expected[row]));
                valueMismatches += worst.Observe(row, ModelSignature.ValueOutput, expected[row], actual[row], allowance) ? 0 : 1;
            }
        }
        else
        {
            var classes = mlNet.Classes?.Count ?? 0;
            var expected = mlNet.Probabilities ?? [];
            var actual = onnx.Probabilities ?? [];
            if (actual.Length != expected.Length)
            {
                return new ParityReport(false, rows, 0, rows, double.PositiveInfinity, -1, $"probabilities ({actual.Length} values from ONNX, {expected.Length} from ML.NET)", expected.Length, actual.Length, 0);
            }

            for (var row = 0; row < rows; row++)
            {
                if (!string.Equals(mlNet.Labels![row], onnx.Labels?[row], StringComparison.Ordinal))
                {
                    labelMismatches++;
                    worst.ObserveLabel(row, mlNet.Labels[row], onnx.Labels?[row]);
                }

                for (var c = 0; c < classes; c++)
                {
                    var i = (row * classes) + c;
                    var output = $"{ModelSignature.ProbabilitiesOutput}[{mlNet.Classes![c]}]";
                    valueMismatches += worst.Observe(row, output, expected[i], actual[i], AbsoluteTolerance) ? 0 : 1;
                }
            }
        }

        return new ParityReport(labelMismatches == 0 && valueMismatches == 0, rows, labelMismatches, valueMismatches,
            worst.MaxDifference, worst.Row, worst.Output, worst.Expected, worst.Actual, worst.Allowance);
    }

    private sealed class Worst
    {
        private double _excess = double.NegativeInfinity;
        private bool _labelMismatch;

        public double MaxDifference { get; private set; }

        public int Row { get; private set; } = -1;

        public string Output { get; private set; } = string.Empty;

        public double Expected { get; private set; }

        public double Actual { get; private set; }

        public double Allowance { get; private set; }

        /// <summary>Records a value; true when within the allowance.</summary>
        public bool Observe(int row, string output, double expected, double actual, double allowance)
        {
            var difference = double.IsNaN(expected) && double.IsNaN(actual) ? 0 : Math.Abs(expected - actual);
            if (double.IsNaN(difference))
            {
                difference = double.PositiveInfinity;
            }

            MaxDifference = Math.Max(MaxDifference, difference);
            var excess = difference - allowance;
            if (!_labelMismatch && excess > _excess)
            {
                (_excess, Row, Output, Expected, Actual, Allowance) = (excess, row, output, expected, actual, allowance);
            }

            return difference <= allowance;
        }

        /// <summary>A label mismatch outranks any value difference as the reported worst row (the first one is kept).</summary>
        public void ObserveLabel(int row, string expected, string? actual)
        {
            if (_labelMismatch)
            {
                return;
            }

            _labelMismatch = true;
            (Row, Output, Expected, Actual, Allowance) = (row, $"{ModelSignature.LabelOutput} (ML.NET '{expected}', ONNX '{actual}')", double.NaN, double.NaN, 0);
        }
    }
}
