namespace Serverless.ML.Parity;

/// <summary>
/// Whether ONNX Runtime reproduces ML.NET on a frame. Tolerances: classification probabilities within
/// <see cref="OnnxParity.AbsoluteTolerance"/> (absolute) and identical labels; regression values within
/// max(1e-4, 1e-4·|ML.NET value|). <see cref="WorstRow"/> and <see cref="WorstOutput"/> locate the largest excess
/// (difference minus its allowance), so a failure can be explained.
/// </summary>
public sealed record ParityReport(
    bool Passed,
    int RowCount,
    int LabelMismatches,
    int ValueMismatches,
    double MaxDifference,
    int WorstRow,
    string WorstOutput,
    double MlNetValue,
    double OnnxValue,
    double Allowance)
{
    public string Summary => Passed
        ? $"ONNX matches ML.NET on {RowCount} rows (max difference {MaxDifference:G3})."
        : $"ONNX differs from ML.NET on {RowCount} rows: {LabelMismatches} label mismatches, {ValueMismatches} values beyond tolerance; worst row {WorstRow} {WorstOutput}: ML.NET {MlNetValue:G9}, ONNX {OnnxValue:G9} (allowed ±{Allowance:G3}).";
}
