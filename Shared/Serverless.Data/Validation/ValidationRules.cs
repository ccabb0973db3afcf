namespace Serverless.Data.Validation;

/// <summary>The stable ids of validation rules, as they appear in reports.</summary>
public static class ValidationRules
{
    public const string Unreadable = "unreadable";
    public const string TooFewRows = "too-few-rows";
    public const string LabelMissing = "label-missing";
    public const string LabelHasMissingValues = "label-missing-values";
    public const string SingleClass = "single-class";
    public const string MissingFraction = "missing-fraction";
    public const string TypeMismatch = "type-mismatch";
    public const string OutOfRange = "out-of-range";
    public const string UnknownCategory = "unknown-category";
    public const string RequiredMissing = "required-missing";
    public const string ColumnMissing = "column-missing";
    public const string SliceIsLabel = "slice-is-label";
    public const string LabelLeakage = "label-leakage";
    public const string ConstantColumn = "constant-column";
    public const string IdLikeColumn = "id-like-column";
    public const string DuplicateRows = "duplicate-rows";
    public const string ClassImbalance = "class-imbalance";
    public const string SchemaBreakingChange = "schema-breaking-change";
    public const string SchemaAddedColumn = "schema-added-column";
    public const string NoFeatures = "no-features";
    public const string TaskMismatch = "task-mismatch";
}
