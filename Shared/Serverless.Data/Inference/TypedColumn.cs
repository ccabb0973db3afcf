using Serverless.Data.Validation;
using Serverless.Domain.Datasets;

namespace Serverless.Data.Inference;

/// <summary>A column after typing, with the values that did not fit its declared type.</summary>
public sealed record TypedColumn(FrameColumn Column, IReadOnlyList<ValidationIssue> Issues);
