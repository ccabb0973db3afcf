namespace Serverless.Monitoring.Performance;

/// <summary>A regressor's prediction and the value that later arrived (NaN actual = not labelled yet).</summary>
public sealed record LabelledValue(double Predicted, double Actual);
