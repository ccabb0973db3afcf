namespace Serverless.Functions.Composition;

/// <summary>
/// Names of the product's own tables and containers (section <c>Product</c>). The defaults are the contract's
/// names; a prefix and other container names let several deployments (or tests) share one storage account.
/// </summary>
public sealed class ProductStorageOptions
{
    public const string Section = "Product";

    /// <summary>Prefix of the product's tables (letters and digits).</summary>
    public string TablePrefix { get; set; } = string.Empty;

    public string DatasetsContainer { get; set; } = "datasets";

    public string ArtifactsContainer { get; set; } = "artifacts";

    /// <summary>Where bring-your-own ONNX models are uploaded (<c>{model}/{file}.onnx</c>).</summary>
    public string ModelUploadsContainer { get; set; } = "model-uploads";

    /// <summary>Where CSV files to batch-score are uploaded (<c>{model}/{file}.csv</c>).</summary>
    public string ScoringInputContainer { get; set; } = "scoring-input";

    /// <summary>Where batch scoring writes <c>{model}/{file}.predictions.csv</c> and <c>.errors.csv</c>.</summary>
    public string ScoringOutputContainer { get; set; } = "scoring-output";

    /// <summary>The settings whose values trigger paths refer to (<c>%Product:DatasetsContainer%</c>), with their defaults.</summary>
    public static IReadOnlyDictionary<string, string?> Defaults { get; } = new Dictionary<string, string?>
    {
        [$"{Section}:{nameof(DatasetsContainer)}"] = "datasets",
        [$"{Section}:{nameof(ArtifactsContainer)}"] = "artifacts",
        [$"{Section}:{nameof(ScoringInputContainer)}"] = "scoring-input",
        [$"{Section}:{nameof(ScoringOutputContainer)}"] = "scoring-output",
        [$"{Section}:{nameof(ModelUploadsContainer)}"] = "model-uploads",
    };
}
