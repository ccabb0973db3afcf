namespace Serverless.Hosting;

/// <summary>
/// What a function key may do beyond its level. A key created without a permission list has <see cref="All"/>;
/// admin keys and the master key always have every permission.
/// </summary>
[Flags]
public enum KeyPermissions
{
    /// <summary>Nothing (never stored: a permission list names at least one).</summary>
    None = 0,

    /// <summary>Predictions: predict, Open Inference Protocol infer and model metadata, batch scoring output.</summary>
    Predict = 1,

    /// <summary>Ground truth for earlier predictions (it feeds retraining).</summary>
    Feedback = 2,

    /// <summary>Reading: projects, datasets, runs, models, versions, lineage, ONNX download, monitoring, the dashboard.</summary>
    Read = 4,

    /// <summary>Every function-level right (a key without a permission list).</summary>
    All = Predict | Feedback | Read,
}
