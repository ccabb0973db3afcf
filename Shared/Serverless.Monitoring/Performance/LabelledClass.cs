namespace Serverless.Monitoring.Performance;

/// <summary>A classifier's prediction and the label that later arrived (null actual = not labelled yet).</summary>
public sealed record LabelledClass(string Predicted, string? Actual);
